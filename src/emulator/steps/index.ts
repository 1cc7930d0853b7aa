// Every step type the emulator runs, by `$type`: one builder each (test/unit checks that the keys
// are exactly the contract's step types).
import { ANALYSIS_STEPS } from './analysis';
import type { StepBuilder } from './context';
import { FILE_STEPS } from './files';
import { MEDIA_STEPS } from './media';
import { TEXT_STEPS } from './text';

export const STEP_BUILDERS: Readonly<Record<string, StepBuilder>> = { ...MEDIA_STEPS, ...TEXT_STEPS, ...ANALYSIS_STEPS, ...FILE_STEPS };

export { BlobSlot, StepBlobRef } from './context';
export type { BuildContext, SourceInfo, StepBuilder } from './context';
