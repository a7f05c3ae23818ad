import type { Preset } from '../../src/engine/rule-config.ts';
import { preset as kanban } from './kanban.ts';
import { preset as recommended } from './recommended.ts';
import { preset as scrum } from './scrum.ts';
import { preset as stageGate } from './stage-gate.ts';

/** The built-in presets by id (`extends:` and `methodology:` name them); a test checks every file is here. */
export const builtInPresets: ReadonlyMap<string, Preset> = new Map([recommended, scrum, kanban, stageGate].map((p) => [p.id, p]));
