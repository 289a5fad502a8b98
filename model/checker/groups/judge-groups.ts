/**
 * The consumer-group judges (C1-C8), in rank order after the core judges (root-causes.ts): another
 * group's interference, the coordinator's and committers' defects, two owners, coverage, the assignor
 * contract, hand-overs, regressions, processing. Runs only for a history with group
 * consumers: producer-only histories never build the group model.
 */
import type { Judging } from "../judging.js";
import { GroupJudging } from "./group-judging.js";
import { judgeAssignors } from "./judge-assignors.js";
import { judgeCommitDefects, judgeCrossGroup } from "./judge-group-commits.js";
import { judgeCoverage } from "./judge-coverage.js";
import { judgeSplitOwnership } from "./judge-ownership.js";
import { judgeProcessing } from "./judge-processing.js";
import { judgeRegressions } from "./judge-regressions.js";
import { judgeResumes } from "./judge-resumes.js";

export function judgeGroups(judging: Judging): GroupJudging | null {
  if (judging.state.groups === null) return null;
  const groups = new GroupJudging(judging);
  judgeCrossGroup(groups);
  judgeCommitDefects(groups);
  judgeSplitOwnership(groups);
  judgeCoverage(groups);
  judgeAssignors(groups);
  judgeResumes(groups);
  judgeRegressions(groups);
  judgeProcessing(groups);
  return groups;
}
