// Extra networks written into an imported prompt (`<lora:name:0.8>`, `<lyco:…>`, `<hypernet:…>`)
// and in the settings of the Additional Networks extension (`AddNet Model 1: name(hash)`).
// The service takes LoRAs from `loras` by AIR, never from the prompt text, so they are lifted out.
// One pass over the prompt: a pasted prompt may hold thousands of tokens.
import type { GenerationSetting } from './import-params-layout';

export interface PromptNetwork {
  /** `lora`, `lyco`, `hypernet`… as written, lower-cased. */
  readonly type: string;
  readonly name: string;
  /** The first multiplier (A1111 uses 1 when none is written). */
  readonly strength: number;
}

/** Network types that are LoRAs (LyCORIS and friends load the same way). */
const LORA_NETWORK_TYPES = new Set(['lora', 'lyco', 'locon', 'loha', 'lokr', 'dora']);
export const isLoraNetwork = (n: PromptNetwork) => LORA_NETWORK_TYPES.has(n.type);

const NETWORK_AT = /<([A-Za-z_]\w*):([^<>\n]*)>/y;
const NUMBER = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*$/;

/** The prompt without its extra-network tokens (and the commas they leave behind), and the tokens. */
export function extractNetworks(prompt: string): { prompt: string; networks: PromptNetwork[] } {
  const networks: PromptNetwork[] = [];
  const parts: string[] = [];
  let copied = 0;
  let removedAny = false;
  for (let i = prompt.indexOf('<'); i >= 0; i = prompt.indexOf('<', i + 1)) {
    if (isEscaped(prompt, i)) continue;
    NETWORK_AT.lastIndex = i;
    const m = NETWORK_AT.exec(prompt);
    if (!m) continue;
    networks.push(readNetwork(m[1].toLowerCase(), m[2]));
    parts.push(prompt.slice(copied, i));
    let end = i + m[0].length;
    // The comma that separated the token goes with it, unless text follows on both sides.
    const before = lastNonSpace(parts[parts.length - 1]);
    let j = end;
    while (j < prompt.length && (prompt[j] === ' ' || prompt[j] === '\t')) j++;
    if (prompt[j] === ',' && (before === ',' || before === '' || before === '\n')) {
      end = j + 1;
      while (end < prompt.length && (prompt[end] === ' ' || prompt[end] === '\t')) end++;
    }
    copied = end;
    i = end - 1;
    removedAny = true;
  }
  if (!removedAny) return { prompt, networks };
  parts.push(prompt.slice(copied));
  const cleaned = parts
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t]+$/, '').replace(/^([ \t]*),[ \t]*/, '$1').replace(/,[ \t]*,/g, ','))
    .join('\n');
  return { prompt: cleaned.trim().replace(/,\s*$/, '').trim(), networks };
}

function readNetwork(type: string, body: string): PromptNetwork {
  // `name:te[:unet]`; the name may itself hold colons (an AIR), the multipliers are the numeric tail.
  const parts = body.split(':');
  let k = parts.length;
  while (k > 1 && NUMBER.test(parts[k - 1])) k--;
  const name = parts.slice(0, k).join(':').trim();
  const strength = k < parts.length ? Number(parts[k]) : 1;
  return { type, name, strength };
}

function isEscaped(text: string, i: number): boolean {
  let n = 0;
  for (let k = i - 1; k >= 0 && text[k] === '\\'; k--) n++;
  return n % 2 === 1;
}

function lastNonSpace(s: string | undefined): string {
  if (!s) return '';
  for (let k = s.length - 1; k >= 0; k--) if (s[k] !== ' ' && s[k] !== '\t') return s[k];
  return '';
}

export interface AddNetLora {
  readonly name: string;
  readonly hash?: string;
  readonly strength: number;
}

/**
 * LoRAs of the Additional Networks extension: `AddNet Module 1: LoRA, AddNet Model 1:
 * name(hash), AddNet Weight A 1: 0.8` (A is the UNet weight, the one a LoRA strength means).
 */
export function readAddNetLoras(settings: readonly GenerationSetting[]): AddNetLora[] {
  const slots = new Map<string, { module?: string; model?: string; weight?: string }>();
  for (const s of settings) {
    const m = /^addnet (module|model|weight a|weight) (\d+)$/i.exec(s.key.trim());
    if (!m) continue;
    const slot = slots.get(m[2]) ?? {};
    const field = m[1].toLowerCase();
    if (field === 'module') slot.module = s.value;
    else if (field === 'model') slot.model = s.value;
    else if (field === 'weight a' || slot.weight === undefined) slot.weight = s.value;
    slots.set(m[2], slot);
  }
  const out: AddNetLora[] = [];
  for (const slot of slots.values()) {
    if (!slot.model || (slot.module && !/^(lora|lyco|locon)/i.test(slot.module))) continue;
    const named = /^(.*?)\s*\(([0-9a-f]{6,64})\)\s*$/i.exec(slot.model);
    const strength = Number(slot.weight);
    out.push({ name: named ? named[1] : slot.model, ...(named ? { hash: named[2].toLowerCase() } : {}), strength: Number.isFinite(strength) ? strength : 1 });
  }
  return out;
}

export const isAddNetKey = (key: string) => /^addnet /i.test(key.trim());
