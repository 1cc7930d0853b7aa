// One factory per command; this file only maps command ids to them.
import type { CivitaiContext } from './context';
import { cancelWorkflow } from './runs/cancel';
import { connectionMenu } from './connection/connectionMenu';
import { useLocalEmulator } from './connection/useEmulator';
import { newWorkflow } from './workflows/newWorkflow';
import { openWorkflowById } from './runs/openById';
import { openResults } from './results/openResults';
import { previewCost } from './cost/previewCost';
import { runSweep } from './sweep/runSweep';
import { submitWorkflow } from './runs/submit';
import { clearApiToken, setApiToken } from './connection/tokenCommands';

export function commandHandlers(ctx: CivitaiContext): Record<string, (...args: never[]) => unknown> {
  return {
    'civitai.submitWorkflow': submitWorkflow(ctx),
    'civitai.previewCost': previewCost(ctx),
    'civitai.runSweep': runSweep(ctx),
    'civitai.cancelWorkflow': cancelWorkflow(ctx),
    'civitai.openResults': openResults(ctx),
    'civitai.newWorkflow': newWorkflow(ctx),
    'civitai.openWorkflowById': openWorkflowById(ctx),
    'civitai.useLocalEmulator': useLocalEmulator(ctx),
    'civitai.setApiToken': setApiToken(ctx),
    'civitai.clearApiToken': clearApiToken(ctx),
    'civitai.refreshHistory': () => ctx.tree.refresh(),
    'civitai.refreshResources': () => ctx.resources?.refresh(),
    // Internal (not in the palette): the status bar's menu and its "Show Log".
    'civitai.connectionMenu': connectionMenu(ctx),
    'civitai.showLog': () => ctx.log.show(),
  };
}
