// Steps that answer in words: chat, prompt enhancement, captioning, transcription, echo. The
// answers are deterministic and say plainly that they come from the emulator, so nobody mistakes
// them for a model's.
import { isObject, num, str, type BuildContext, type StepBuilder } from './context';

const SHORT = 160;
const clip = (text: string, max = SHORT): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** The text of the last user message (string content or its text parts). */
function lastUserText(messages: unknown): string {
  if (!Array.isArray(messages)) return '';
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (!isObject(m) || m.role !== 'user') continue;
    if (typeof m.content === 'string') return m.content;
    if (Array.isArray(m.content)) return m.content.map((p) => (isObject(p) && typeof p.text === 'string' ? p.text : '')).filter(Boolean).join(' ');
  }
  return '';
}

const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

function caption(ctx: BuildContext): string {
  const src = ctx.firstSource();
  const size = src?.width && src.height ? `${src.width}×${src.height} ` : '';
  const kind = src?.blob?.type ?? 'image';
  return `A ${size}${kind} from ${src?.label ?? 'the input'}: a soft colour gradient with a few simple shapes (emulator caption).`;
}

export const TEXT_STEPS: Record<string, StepBuilder> = {
  chatCompletion(ctx) {
    const question = lastUserText(ctx.input.messages);
    const n = Math.floor(num(ctx.input.n, 1, 1, 4));
    const answer = question
      ? `This is the local emulator answering offline. You asked: “${clip(question)}” A real model would reply here; the emulator only shows where the reply goes.`
      : 'This is the local emulator answering offline: a real model would reply here.';
    const prompt = words(JSON.stringify(ctx.input.messages ?? ''));
    const completion = words(answer);
    return {
      id: `chatcmpl-emu${ctx.seed.toString(36)}`,
      object: 'chat.completion',
      created: Math.floor(ctx.now / 1000),
      model: str(ctx.input.model, 'emulator'),
      choices: Array.from({ length: n }, (_, index) => ({ index, message: { role: 'assistant', content: answer }, finishReason: 'stop' })),
      usage: { promptTokens: prompt, completionTokens: completion * n, totalTokens: prompt + completion * n },
    };
  },
  promptEnhancement(ctx) {
    const prompt = str(ctx.input.prompt).trim();
    const negative = str(ctx.input.negativePrompt).trim();
    const issues = words(prompt) < 6 ? [{ description: 'The prompt is short: the subject has little context (setting, light, style).', severity: 'info' }] : [];
    return {
      enhancedPrompt: [prompt, 'detailed subject, clear composition, soft natural light'].filter(Boolean).join(', '),
      enhancedNegativePrompt: [negative, 'blurry, low quality'].filter(Boolean).join(', '),
      issues,
      recommendations: ['Name the setting and the light.', 'Keep the most important subject first.'],
    };
  },
  mediaCaptioning: (ctx) => ({ caption: caption(ctx) }),
  audioCaptioning(ctx) {
    const src = ctx.source(ctx.input.mediaUrl);
    const key = typeof ctx.input.mediaUrl === 'string' ? ctx.input.mediaUrl : src?.label ?? 'media';
    return {
      results: {
        [key]: {
          text: 'A calm instrumental loop with a soft synthesised melody (emulator caption).',
          caption: 'calm instrumental, soft synth melody',
          lyrics: null,
          bpm: '96',
          keyScale: 'C major',
          timeSignature: '4/4',
          duration: src?.blob?.duration !== undefined ? String(src.blob.duration) : null,
          language: null,
        },
      },
    };
  },
  transcription(ctx) {
    const src = ctx.source(ctx.input.mediaUrl);
    const text = `Emulator transcript of ${src?.label ?? 'the audio'}: no speech was recognised offline.`;
    const end = Math.max(1, src?.blob?.duration ?? 3);
    return {
      text,
      language: str(ctx.input.language, 'en') || 'en',
      timeStamps: ctx.input.returnTimeStamps === false ? [] : [{ text, startTime: 0, endTime: end }],
      elapsedSeconds: 0.4,
    };
  },
  echo: (ctx) => ({ message: str(ctx.input.message) }),
};
