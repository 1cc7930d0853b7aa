// The "New Workflow…" catalog: which ecosystem × engine × operation combinations get a template.
// The combinations are the ones the contract defines an imageGen input for; whether the guides
// document them is read from the ecosystem table, so the picker can say "contract only".
import { ECOSYSTEMS, type EcosystemId, type Engine, type Operation } from '../ecosystems/table';

export interface TemplateChoice {
  /** Stable id, e.g. `sdxl-sdcpp-createImage`; also the suggested file name stem. */
  id: string;
  ecosystem: EcosystemId;
  engine: Engine;
  operation: Operation;
  /** Short label for a picker, e.g. "SDXL · text-to-image · sdcpp". */
  label: string;
  /** One line for the picker's detail. */
  detail: string;
  /** False when the guides don't document this engine/operation for the ecosystem (the contract does). */
  documented: boolean;
}

/**
 * imageGen inputs the contract defines, per ecosystem: `{engine}` × `{operation}`.
 * (Checked by `test/unit/templates-catalog.test.ts`: every generated template lints clean.)
 */
const CONTRACT_IMAGE_INPUTS: Record<EcosystemId, { engines: Engine[]; operations: Operation[] }> = {
  sd1: { engines: ['sdcpp', 'comfy'], operations: ['createImage', 'createVariant'] },
  sdxl: { engines: ['sdcpp', 'comfy'], operations: ['createImage', 'createVariant'] },
  anima: { engines: ['sdcpp', 'comfy'], operations: ['createImage', 'createVariant'] },
};

const SHORT_NAMES: Record<EcosystemId, string> = { sd1: 'SD1', sdxl: 'SDXL', anima: 'Anima' };

export const OPERATION_LABELS: Record<Operation, string> = {
  createImage: 'text-to-image',
  createVariant: 'image-to-image',
};

export function templateChoices(): TemplateChoice[] {
  const out: TemplateChoice[] = [];
  for (const ecosystem of Object.keys(CONTRACT_IMAGE_INPUTS) as EcosystemId[]) {
    const facts = ECOSYSTEMS[ecosystem];
    const allowed = CONTRACT_IMAGE_INPUTS[ecosystem];
    for (const operation of allowed.operations) {
      for (const engine of allowed.engines) {
        const documented = facts.engines.includes(engine) && facts.documentedOperations.includes(operation);
        const parts = [`${facts.label}, ${engine} engine, ${operation}`];
        if (!documented) parts.push('accepted by the API but not covered by the guide');
        out.push({
          id: `${ecosystem}-${engine}-${operation}`,
          ecosystem,
          engine,
          operation,
          label: `${SHORT_NAMES[ecosystem]} · ${OPERATION_LABELS[operation]} · ${engine}`,
          detail: parts.join(' — '),
          documented,
        });
      }
    }
  }
  // Documented combinations first, default engine first within an ecosystem.
  return out.sort((a, b) => Number(b.documented) - Number(a.documented));
}

export function findTemplateChoice(id: string): TemplateChoice | undefined {
  return templateChoices().find((c) => c.id === id);
}

export function ecosystemShortName(id: EcosystemId): string {
  return SHORT_NAMES[id];
}
