import { describe, expect, test } from "vitest";
import type { CommitMode } from "../../../model/index.js";
import { groupSettings } from "../client-config.js";
import { drainGroups, type DrainMember } from "../group/drain.js";
import { GroupProgress } from "../group/group-progress.js";

/** A member whose every poll commits (or processes) one more offset of partition 0, busy for `busyMs`. */
function member(group: string, mode: CommitMode, progress: GroupProgress, busyMs = 0): DrainMember & { polls: number } {
  const settings = groupSettings({ id: `${group}-member`, config: { "group.id": group, "partition.assignment.strategy": "roundrobin", "enable.auto.commit": mode === "auto" }, commitMode: mode });
  let next = 0;
  const state = { busy: false, polls: 0 };
  return {
    settings,
    subscribedTopics: ["events"],
    live: true,
    get busy() {
      return state.busy;
    },
    get polls() {
      return state.polls;
    },
    poll() {
      state.polls += 1;
      state.busy = true;
      next += 1;
      if (mode === "none") progress.noteProcessed(group, [{ topic: "events", partition: 0, offset: next - 1 }]);
      else progress.noteCommitted(group, [{ topic: "events", partition: 0, offset: next }]);
      setTimeout(() => (state.busy = false), busyMs);
    },
  };
}

describe("drainGroups", () => {
  test("members poll until their group committed (or processed) up to the end, then no more; every group counted", async () => {
    const progress = new GroupProgress();
    const committing = member("group-a", "sync-after-processing", progress, 10);
    const processing = member("group-b", "none", progress);
    const outcome = await drainGroups([committing, processing], [{ topic: "events", partition: 0, endOffset: 3 }], progress, 5_000);
    expect(outcome.behind).toEqual([]);
    expect(committing.polls).toBe(3);
    expect(processing.polls).toBe(3);
    expect(outcome.ms).toBeLessThan(2_000);
  });

  test("a group that cannot catch up within the bound is reported behind", async () => {
    const progress = new GroupProgress();
    const slow = member("group-a", "auto", progress, 50);
    const outcome = await drainGroups([slow], [{ topic: "events", partition: 0, endOffset: 1_000 }], progress, 300);
    expect(outcome.behind).toEqual(["group-a"]);
    expect(slow.polls).toBeGreaterThan(1);
    expect(slow.polls).toBeLessThan(10);
  });
});
