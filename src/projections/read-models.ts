import { healQueueProjection } from "./heal-queue.js";
import { learnedWaitsProjection } from "./learned-waits.js";
import { metricsProjection } from "./metrics.js";
import type { Projection } from "./projection.js";
import { qualityIssuesProjection } from "./quality-issues.js";
import { runsProjection } from "./run-report/projection.js";
import { snapshotIndexProjection } from "./snapshot-index.js";
import { visualBaselinesProjection } from "./visual-baselines.js";

/** Every read model the service keeps, each a projection of the log with its queries beside it. */
export const READ_MODELS: Projection[] = [
  runsProjection,
  healQueueProjection,
  snapshotIndexProjection,
  metricsProjection,
  qualityIssuesProjection,
  visualBaselinesProjection,
  learnedWaitsProjection,
];
