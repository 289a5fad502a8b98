/** What a sticky assignment computes: the assignment, and the partitions moving between two members. */
import type { AssignorPartition } from "./assignor.js";

export interface StickyResult {
  readonly assignment: Map<string, AssignorPartition[]>;
  /**
   * Partition key -> its new owner, for partitions another current member has to give up first; known
   * only to the equal-subscriptions builder (undefined: work it out from ownership, as Java does).
   */
  readonly transferring: ReadonlyMap<string, string> | undefined;
}
