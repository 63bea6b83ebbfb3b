import type { Scenario } from '../types.js';
import { badInputScenarios } from './badInput.js';
import { lifecycleScenarios } from './lifecycle.js';
import { notificationScenarios } from './notifications.js';
import { progressScenarios } from './progress.js';
import { sessionFeatureScenarios } from './sessionFeatures.js';
import { taskScenarios } from './tasks.js';

/** Every scenario of the suite, in the order the matrix prints them. */
export const scenarios: readonly Scenario[] = [
  ...lifecycleScenarios,
  ...progressScenarios,
  ...notificationScenarios,
  ...sessionFeatureScenarios,
  ...badInputScenarios,
  ...taskScenarios,
];
