/**
 * Choosing a partition leader, as the KRaft controller does: first live replica (in assignment order)
 * of the ISR; else of the Eligible Leader Replicas when that feature is on; else (ELR on, both empty)
 * the last known leader; else, only when unclean election is allowed, any live replica (the ISR then
 * restarts as that one replica).
 */
export interface ElectionInput {
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly elr: readonly number[];
  /** Only with ELR on (KIP-966): elected when ISR and ELR are empty, as Kafka did before 4.0. */
  readonly lastKnownLeader: number | null;
  readonly uncleanAllowed: boolean;
  /** Planted bug unclean-election-always: elect out of sync even when not allowed, and call it clean. */
  readonly forceUnclean: boolean;
  readonly isLive: (brokerId: number) => boolean;
}

export interface ElectionOutcome {
  readonly leader: number | null;
  readonly isr: readonly number[];
  readonly elr: readonly number[];
  /** An out-of-sync replica was elected (may lose acknowledged data). */
  readonly unclean: boolean;
}

export function chooseLeader(input: ElectionInput): ElectionOutcome {
  const { replicas, isr, elr, isLive } = input;
  const fromIsr = replicas.find((replica) => isr.includes(replica) && isLive(replica));
  if (fromIsr !== undefined) return { leader: fromIsr, isr, elr, unclean: false };
  const fromElr = replicas.find((replica) => elr.includes(replica) && isLive(replica));
  if (fromElr !== undefined) return { leader: fromElr, isr: [fromElr], elr: elr.filter((replica) => replica !== fromElr), unclean: false };
  const last = input.lastKnownLeader;
  if (isr.length === 0 && elr.length === 0 && last !== null && isLive(last)) return { leader: last, isr: [last], elr: [], unclean: false };
  if (input.uncleanAllowed || input.forceUnclean) {
    const anyLive = replicas.find((replica) => isLive(replica));
    if (anyLive !== undefined) return { leader: anyLive, isr: [anyLive], elr: [], unclean: input.uncleanAllowed };
  }
  return { leader: null, isr, elr, unclean: false };
}

/**
 * The ISR (and ELR) after a replica drops out. Without ELR, KRaft never empties the ISR: the last
 * member stays so that only it can be elected cleanly. With ELR (KIP-966), members removed while the
 * ISR is below min.insync.replicas become eligible leader replicas and the ISR may empty.
 */
export function shrinkIsr(
  isr: readonly number[],
  elr: readonly number[],
  removed: readonly number[],
  minInsyncReplicas: number,
  eligibleLeaderReplicas: boolean,
): { isr: number[]; elr: number[] } {
  const remaining = isr.filter((replica) => !removed.includes(replica));
  if (!eligibleLeaderReplicas) {
    return { isr: remaining.length === 0 ? isr.slice(0, 1).filter((replica) => isr.includes(replica)) : remaining, elr: [] };
  }
  return { isr: remaining, elr: nextElr(isr, remaining, elr, minInsyncReplicas) };
}

/** KIP-966: ELR gains what left the ISR while it is below min ISR, and is cleared once the ISR is back. */
export function nextElr(oldIsr: readonly number[], newIsr: readonly number[], elr: readonly number[], minInsyncReplicas: number): number[] {
  if (newIsr.length >= minInsyncReplicas) return [];
  const left = oldIsr.filter((replica) => !newIsr.includes(replica));
  const merged = [...elr, ...left.filter((replica) => !elr.includes(replica))];
  return merged.filter((replica) => !newIsr.includes(replica));
}
