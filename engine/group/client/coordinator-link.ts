/**
 * A group consumer's connection to its group coordinator: FindCoordinator (asked of each broker in
 * turn), then requests to the broker it named, each answered once: with the response, or with null
 * after request.timeout.ms. A timeout or a "not the coordinator" answer forgets the coordinator, so
 * the next request looks it up again (how a client follows the coordinator across failovers).
 */
import type { EngineContext } from "../../context.js";
import { brokerNodeName } from "../../context.js";
import type { SimulatedNode } from "../../network/node.js";
import type { GroupRequest, GroupResponse } from "../../protocol/group-messages.js";
import { assert } from "../../simulation/assert.js";

/** Bounds: requests one client keeps open at once, and callers waiting for a lookup. */
const maxOpenRequests = 10_000;
const maxWaiters = 10_000;

type WithoutId<T> = T extends unknown ? Omit<T, "requestId"> : never;
export type LinkRequest = WithoutId<Exclude<GroupRequest, { kind: "find-coordinator" }>>;

export class CoordinatorLink {
  /** The coordinator's broker id, or null while unknown. */
  coordinator: number | null = null;
  private readonly open = new Map<number, (response: GroupResponse | null) => void>();
  private lookupInFlight = false;
  private waiters: ((found: boolean) => void)[] = [];
  private cursor: number;
  /** Group-side request ids live far from the fetcher's own, so the two never collide on one node. */
  private requestCounter = 1_000_000_000;
  stopped = false;

  constructor(
    private readonly node: SimulatedNode,
    private readonly context: EngineContext,
    private readonly group: string,
    private readonly requestTimeoutMs: number,
    private readonly retryBackoffMs: number,
  ) {
    this.cursor = context.random.integerBetween(0, context.brokerIds.length - 1);
  }

  nextRequestId(): number {
    return ++this.requestCounter;
  }

  private trace(text: string): void {
    this.context.trace.record(this.context.scheduler.nowMs, this.node.name, text);
  }

  forget(why: string): void {
    if (this.coordinator === null) return;
    this.trace(`coordinator broker-${this.coordinator} forgotten: ${why}`);
    this.coordinator = null;
  }

  /** Calls `done(true)` once the coordinator is known, or `done(false)` after one failed lookup (the caller retries or gives up). */
  ensure(done: (found: boolean) => void): void {
    if (this.stopped) return;
    if (this.coordinator !== null) return done(true);
    assert(this.waiters.length < maxWaiters, `${this.node.name}: too many waiting for the coordinator`);
    this.waiters.push(done);
    if (this.lookupInFlight) return;
    this.lookupInFlight = true;
    const brokerId = this.context.brokerIds[this.cursor % this.context.brokerIds.length]!;
    this.cursor++;
    const requestId = this.nextRequestId();
    this.send(brokerId, { kind: "find-coordinator", requestId, group: this.group }, (response) => {
      this.lookupInFlight = false;
      const found = response !== null && response.kind === "find-coordinator-response" && response.error === null && response.brokerId >= 0;
      if (found) {
        this.coordinator = response.brokerId;
        this.trace(`coordinator of ${this.group} is broker-${response.brokerId}`);
      }
      const waiters = this.waiters;
      this.waiters = [];
      const finish = (): void => {
        for (const waiter of waiters) waiter(found);
      };
      // A failed lookup answers after retry.backoff.ms, so callers that retry at once do not spin.
      if (found) finish();
      else this.node.timer(Math.max(1, this.retryBackoffMs), finish);
    });
  }

  /** Sends to the coordinator (which must be known); `done` fires once, with null after `timeoutMs` (request.timeout.ms by default). */
  request(message: LinkRequest, done: (response: GroupResponse | null) => void, timeoutMs = this.requestTimeoutMs): void {
    if (this.stopped) return;
    const coordinator = this.coordinator;
    assert(coordinator !== null, `${this.node.name}: request ${message.kind} without a coordinator`);
    const requestId = this.nextRequestId();
    this.send(
      coordinator,
      { ...message, requestId } as GroupRequest,
      (response) => {
        if (response === null) this.forget(`${message.kind} timed out`);
        else if ("error" in response && (response.error === "NOT_COORDINATOR" || response.error === "COORDINATOR_NOT_AVAILABLE")) this.forget(`${message.kind}: ${response.error}`);
        done(response);
      },
      timeoutMs,
    );
  }

  private send(brokerId: number, message: GroupRequest, done: (response: GroupResponse | null) => void, timeoutMs = this.requestTimeoutMs): void {
    assert(this.open.size < maxOpenRequests, `${this.node.name}: too many group requests open`);
    let answered = false;
    const answer = (response: GroupResponse | null): void => {
      if (answered || this.stopped) return;
      answered = true;
      this.open.delete(message.requestId);
      done(response);
    };
    this.open.set(message.requestId, answer);
    this.context.network.send(this.node, brokerNodeName(brokerId), message);
    this.node.timer(timeoutMs, () => answer(null));
  }

  handle(response: GroupResponse): void {
    this.open.get(response.requestId)?.(response);
  }
}
