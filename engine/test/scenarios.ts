import type { PlantedBug, SendResult, Simulation } from "../index.js";
import { cluster, createTopic, readAll, sendAll } from "./helpers.js";

/**
 * Scripted scenarios shared by the mechanism tests and the planted-bug tests: each returns what a
 * client saw, so a test can assert the guarantee holds on the correct engine and breaks with a bug.
 */
export interface Roles {
  readonly leader: number;
  readonly second: number;
  readonly third: number;
}

export function roles(simulation: Simulation, topic: string): Roles {
  const [state] = simulation.describe(topic);
  if (state === undefined || state.leader === null) throw new Error("no leader");
  const others = state.replicas.filter((replica) => replica !== state.leader);
  return { leader: state.leader, second: others[0]!, third: others[1] ?? -1 };
}

export const broker = (id: number): string => `broker-${id}`;

/** Runs until a leader other than `previous` is elected for partition 0, or fails. */
export function awaitNewLeader(simulation: Simulation, topic: string, previous: number, maxMs = 60_000): number {
  const elected = simulation.runUntilCondition(() => {
    const leader = simulation.leaderOf(topic, 0);
    return leader !== null && leader !== previous;
  }, maxMs);
  if (!elected) throw new Error(`no new leader for ${topic}-0 within ${maxMs} ms`);
  return simulation.leaderOf(topic, 0)!;
}

/**
 * The seed's narrative: the leader holds offsets 0..5 with high watermark 3 and crashes; the new
 * leader has 0..2, the producer (no acknowledgement for 3..5) retries to it; the old leader comes
 * back and truncates its divergent 3..5 by leader epoch.
 */
export function crashedLeaderNarrative(bugs: PlantedBug[] = []) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader, second, third } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "enable.idempotence": false, "linger.ms": 0 });
  const first = sendAll(simulation, producer, ["v0", "v1", "v2"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  simulation.runUntil(simulation.nowMs + 1_000);
  simulation.cut(broker(leader), broker(second));
  simulation.cut(broker(leader), broker(third));
  const late: (SendResult | undefined)[] = [undefined, undefined, undefined];
  ["v3", "v4", "v5"].forEach((value, index) => producer.send({ topic: "t", key: null, value, partition: 0 }, (result) => (late[index] = result)));
  simulation.runUntil(simulation.nowMs + 100);
  const beforeCrash = simulation.replica(leader, "t", 0)!;
  simulation.kill(broker(leader));
  const newLeader = awaitNewLeader(simulation, "t", leader);
  const newLeaderAtElection = simulation.replica(newLeader, "t", 0)!;
  const ackedBeforeElection = late.filter((result) => result !== undefined).length;
  simulation.runUntilCondition(() => late.every((result) => result !== undefined), 200_000);
  simulation.heal();
  simulation.restart(broker(leader));
  simulation.runUntil(simulation.nowMs + 20_000);
  const oldLeaderAfter = simulation.replica(leader, "t", 0)!;
  const newLeaderAfter = simulation.replica(newLeader, "t", 0)!;
  simulation.checkInvariants();
  const read = readAll(simulation, "t", 1, "reader");
  return { simulation, leader, newLeader, first, late, beforeCrash, newLeaderAtElection, ackedBeforeElection, oldLeaderAfter, newLeaderAfter, read };
}

/**
 * Every ISR member down, an out-of-sync replica alive: B fell out of the ISR (cut from the leader),
 * records were acknowledged by A alone (min ISR 1), then A dies. Kafka 3.9 (no ELR).
 */
export function allIsrDown(options: { unclean: boolean; bugs?: PlantedBug[] }) {
  const simulation = cluster({ controllers: 1, kafkaVersion: "3.9.0", broker: { "replica.lag.time.max.ms": 10_000 }, plantedBugs: options.bugs ?? [] });
  createTopic(simulation, "t", 1, 2, { "min.insync.replicas": 1, "unclean.leader.election.enable": options.unclean });
  const { leader, second } = roles(simulation, "t");
  const elections: { leader: number; unclean: boolean }[] = [];
  simulation.onElection((election) => elections.push({ leader: election.leader, unclean: election.unclean }));
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
  const early = sendAll(simulation, producer, [{ topic: "t", key: null, value: "replicated", partition: 0 }]);
  simulation.runUntil(simulation.nowMs + 1_000);
  simulation.cut(broker(leader), broker(second));
  simulation.runUntilCondition(() => simulation.describe("t")[0]!.isr.length === 1, 60_000);
  const late = sendAll(simulation, producer, ["only-on-leader-1", "only-on-leader-2"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  simulation.kill(broker(leader));
  simulation.heal();
  simulation.runUntil(simulation.nowMs + 60_000);
  const state = simulation.describe("t")[0]!;
  const read = state.leader === null ? [] : readAll(simulation, "t", 1, "reader");
  return { simulation, leader, second, early, late, state, read, elections };
}

/**
 * Followers that learned the high watermark late lose committed records if they truncate to it on
 * becoming follower (pre-KIP-101): A leads, B and C have everything but a stale high watermark; A
 * dies, B leads, C becomes follower (truncating, with the bug) and is cut off from B; B dies, C leads.
 */
export function staleHighWatermarkFollower(bugs: PlantedBug[] = []) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader, second, third } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks: "all", "linger.ms": 0 });
  const acked = sendAll(simulation, producer, ["m0", "m1", "m2", "m3", "m4"].map((value) => ({ topic: "t", key: null, value, partition: 0 })));
  // Right after the acknowledgement the followers' high watermarks still lag (their fetches are parked).
  simulation.cut(broker(second), broker(third));
  simulation.cut(broker(third), broker(second));
  simulation.kill(broker(leader));
  const next = awaitNewLeader(simulation, "t", leader);
  simulation.runUntil(simulation.nowMs + 50);
  simulation.kill(broker(next));
  simulation.runUntilCondition(() => simulation.leaderOf("t", 0) === third, 60_000);
  simulation.heal();
  simulation.restart(broker(leader));
  simulation.restart(broker(next));
  simulation.runUntil(simulation.nowMs + 30_000);
  const read = readAll(simulation, "t", 1, "reader");
  return { acked, read, second: next, third };
}

/** The leader is cut off from its followers; what acks=1 / acks=all get, and what survives its death. */
export function leaderCutFromFollowers(acks: "1" | "all", bugs: PlantedBug[] = []) {
  const simulation = cluster({ controllers: 1, plantedBugs: bugs });
  createTopic(simulation, "t", 1, 3, { "min.insync.replicas": 2 });
  const { leader, second, third } = roles(simulation, "t");
  const producer = simulation.producer("producer-0", { acks, "linger.ms": 0, "enable.idempotence": false, retries: 0, "request.timeout.ms": 5_000, "delivery.timeout.ms": 10_000 });
  sendAll(simulation, producer, [{ topic: "t", key: null, value: "before", partition: 0 }]);
  simulation.runUntil(simulation.nowMs + 1_000);
  simulation.cut(broker(leader), broker(second));
  simulation.cut(broker(leader), broker(third));
  const consumer = simulation.consumer("early-reader", { "auto.offset.reset": "earliest" });
  consumer.assign([{ topic: "t", partition: 0 }]);
  let result: SendResult | undefined;
  producer.send({ topic: "t", key: null, value: "exposed", partition: 0 }, (outcome) => (result = outcome));
  simulation.runUntil(simulation.nowMs + 200);
  const seenEarly: string[] = [];
  consumer.poll((poll) => {
    if (poll.type === "ok") for (const record of poll.records) seenEarly.push(record.value);
  });
  simulation.runUntil(simulation.nowMs + 2_000);
  consumer.close();
  simulation.kill(broker(leader));
  awaitNewLeader(simulation, "t", leader);
  simulation.runUntilCondition(() => result !== undefined, 60_000);
  simulation.heal();
  simulation.restart(broker(leader));
  simulation.runUntil(simulation.nowMs + 30_000);
  const read = readAll(simulation, "t", 1, "reader").map((record) => record.value);
  return { result, seenEarly, read };
}
