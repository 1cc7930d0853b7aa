// Our own words for the generated schema's hovers (markdownDescription). The generator appends
// the contract's facts (default, range, length) to these texts, so the numbers shown always match
// what the service enforces; numbers from the guides come from the ecosystem table. Nothing here is
// copied from the contract's or the guides' prose.
import { DIMENSION_MULTIPLE, ECOSYSTEMS, LORA_STRENGTH_TYPICAL, type EcosystemFacts, type EcosystemId } from '../ecosystems/table';

/** Engines and ecosystems whose imageGen fields get full descriptions. */
export const DOCUMENTED_ENGINES = ['sdcpp', 'comfy'] as const;
export const DOCUMENTED_ECOSYSTEMS: readonly EcosystemId[] = ['sd1', 'sdxl', 'anima'];

export type DocumentedEngine = (typeof DOCUMENTED_ENGINES)[number];

export type WorkflowField =
  | '$schema' | 'steps' | 'tags' | 'metadata' | 'callbacks' | 'arguments' | 'externalId' | 'ephemeral'
  | 'allowMatureContent' | 'upgradeMode' | 'currencies' | 'tips' | 'nsfwLevel' | 'experimental';

export const WORKFLOW_FIELD_DOCS: Readonly<Record<WorkflowField, string>> = {
  $schema: 'Editor hint pointing at this schema. Not part of the service\'s contract: it is removed before the workflow is submitted.',
  steps: 'The work to do, in order of declaration. Steps run in parallel unless one reads another\'s output through a reference (`{ "$ref": "<step name>", "path": "output…" }`).',
  tags: 'Labels the service indexes: you can list and filter your workflows by them later.',
  metadata: 'Free-form JSON kept with the workflow and returned with it. Not indexed; use `tags` for anything you want to search by.',
  callbacks: 'Webhooks the service calls as the workflow, its steps or its jobs change state. Each entry needs a `url` and the event `type`s it wants.',
  arguments: 'Values steps can read with `{ "$ref": "$arguments", "path": "<name>" }`. Keep the steps fixed and change only the arguments between submissions.',
  externalId: 'Your idempotency key: submitting again with the same key returns the existing workflow instead of running (and charging) a new one.',
  ephemeral: 'When `true` the service does not keep the workflow once it has finished: results reach you only through callbacks or by waiting on the submission. Needs a callback or a non-zero `wait`.',
  allowMatureContent: 'Whether mature results may be returned. When `false`, results classified as mature are withheld.',
  upgradeMode: 'What happens when mature content is detected on a workflow paid with Buzz that does not cover it: `manual` stops for you to decide, `automatic` switches payment.',
  currencies: 'Which Buzz accounts may pay for this workflow. Optional: leave it out to let the service choose.',
  tips: 'Share of the cost added as tips, for Civitai and for the creators of the resources used (each a rate).',
  nsfwLevel: 'Content rating of the workflow. Normally computed by the service from the results.',
  experimental: 'Opt in to experimental behaviour of the service for this workflow.',
};

export type StepField = '$type' | 'name' | 'input' | 'priority' | 'timeout' | 'retries' | 'metadata';

export const STEP_FIELD_DOCS: Readonly<Record<StepField, string>> = {
  $type: 'What the step does. It selects which `input` fields are valid.',
  name: 'Name other steps use to read this step\'s output (`{ "$ref": "<name>", "path": "output…" }`). Without a name the step is `$0`, `$1`… by position.',
  input: 'What the step works on. The valid fields depend on `$type` (and for `imageGen` on `engine`, `ecosystem` and `operation`). Any field, or the whole input, can be a reference to another step\'s output or to `$arguments`.',
  priority: 'Queue priority: `high` jumps ahead of `normal` and `low`, within what your account tier allows.',
  timeout: 'Longest the step may run before it is marked expired, as a duration such as `"00:10:00"`.',
  retries: 'How many times a failed job of this step is tried again, possibly on another provider.',
  metadata: 'Free-form JSON kept with this step.',
};

export const STEP_TYPE_DOCS: Readonly<Record<string, string>> = {
  aceStepAudio: 'Music from a text description and optional lyrics (ACE Step 1.5).',
  ageClassification: 'Estimates the age of people in an image or video.',
  audioCaptioning: 'Describes the content of an audio file in text.',
  blobArchive: 'Packs several results into one zip or tar archive to download.',
  chatCompletion: 'Text from a language model, in the OpenAI chat-completions shape.',
  comfy: 'Runs a ComfyUI node graph you provide.',
  comfyNodepackSnapshot: 'Installs ComfyUI custom node packs on a worker image and records what was installed.',
  composeMedia: 'Combines images, video and audio onto one canvas or timeline.',
  convertImage: 'Converts an image to another format, optionally resized or blurred.',
  customComfy: 'Runs a ComfyUI workflow on a custom worker image with your own resources.',
  echo: 'Returns its input: a test step that costs nothing.',
  imageBackgroundRemoval: 'Removes the background of an image.',
  imageGen: 'Generates images: pick an `engine`, then (for sdcpp and comfy) an `ecosystem` and an `operation`.',
  imageResourceTraining: 'Trains a LoRA from a set of images (older training step).',
  imageToSvg: 'Traces a raster image into an SVG.',
  imageUpload: 'Brings an image into the workflow from a URL so later steps can use it.',
  imageUpscaler: 'Enlarges an image; chain it after `imageGen` to go past a model\'s native size.',
  mediaCaptioning: 'Describes an image or video in text.',
  mediaHash: 'Computes perceptual hashes of an image or video.',
  mediaRating: 'Rates the content of an image (maturity and related recognitions).',
  miniMaxMusic3: 'A song from a structured caption and lyrics (MiniMax Music 3).',
  model3DPreview: 'Renders preview images of a 3D model.',
  modelClamScan: 'Scans a model file for malware.',
  modelHash: 'Computes the hashes of a model file.',
  modelParseMetadata: 'Reads the metadata embedded in a model file.',
  modelPickleScan: 'Checks a model file for unsafe pickled code.',
  polyGen: 'Generates a 3D model from text or images.',
  preprocessImage: 'Prepares a control image (edges, depth, pose…) for ControlNet-style guidance.',
  promptEnhancement: 'Rewrites a prompt with a language model for a given ecosystem; feed the result to a later step by reference.',
  qwenImageBench: 'Scores generated images against prompts with Qwen-Image-Bench.',
  shieldstralModeration: 'Moderates text against content policies (Shieldstral).',
  textToImage: 'Older image generation step; prefer `imageGen`.',
  textToSpeech: 'Speech audio from text.',
  training: 'Trains a LoRA or other resource from your data.',
  transcode: 'Converts a video to another container, size or codec.',
  transcription: 'Turns speech in an audio or video file into text.',
  videoBackgroundRemoval: 'Removes the background around a tracked subject in a video.',
  videoEnhancement: 'Upscales a video and/or adds frames.',
  videoFrameExtraction: 'Extracts distinct frames from a video.',
  videoGen: 'Generates a video: pick an `engine`, then its version and operation.',
  videoInterpolation: 'Adds in-between frames to make a video smoother.',
  videoMetadata: 'Reads a video\'s size, frame rate and duration.',
  videoUpscaler: 'Enlarges a video.',
  wdTagging: 'Tags an image with Danbooru-style tags (WD tagger).',
  xGuardModeration: 'Moderates content against configurable labels (XGuard).',
};

export const IMAGE_GEN_ENGINE_DOCS: Readonly<Record<string, string>> = {
  sdcpp: 'Stable Diffusion C++ on Civitai workers: SD1, SDXL, Anima, Flux and more. The default for the open model families.',
  comfy: 'ComfyUI on Civitai workers: ComfyUI sampler and scheduler names, ControlNets, more ecosystems.',
  openai: 'OpenAI image models.',
  'flux1-kontext': 'Flux.1 Kontext, hosted: prompt-driven editing.',
  flux2: 'Flux.2, hosted.',
  google: 'Google image models (Imagen, Gemini image).',
  gemini: 'Gemini image generation.',
  wan: 'Wan image models.',
  seedream: 'Seedream image models.',
  grok: 'Grok image models.',
  fal: 'Models hosted on fal.',
  qwen: 'Qwen image models, hosted.',
};

export const OPERATION_DOCS: Readonly<Record<string, string>> = {
  createImage: 'Text to image.',
  createVariant: 'Image to image: re-imagines `image` following the prompt.',
  editImage: 'Edits the given image(s) following the prompt.',
};

export const ECOSYSTEM_VALUE_DOCS: Readonly<Record<string, string>> = {
  sd1: 'Stable Diffusion 1.x checkpoints (native 512×512).',
  sdxl: 'Stable Diffusion XL checkpoints (native 1024×1024).',
  anima: 'Anima: anime-focused, with its own built-in model.',
  flux1: 'Flux.1.',
  flux2Dev: 'Flux.2 dev.',
  flux2Klein: 'Flux.2 Klein.',
  qwen: 'Qwen-Image.',
  zImage: 'Z-Image.',
};

export const REFERENCE_DOC =
  'A value taken from elsewhere when the workflow runs: `$ref` names a step (its `name`, or `$0`, `$1`… by position) or `$arguments`; `path` points into it, e.g. `output.images[0].url`. The step waits for the one it reads.';

// ---- imageGen fields (sdcpp and comfy, SD1 / SDXL / Anima) ----

/** What a description can draw on: where the field is and the contract's facts about it. */
export interface FieldDocContext {
  engine: DocumentedEngine;
  ecosystem: EcosystemId;
  operation: string;
  eco: EcosystemFacts;
  /** Fields of the leaf (to name the right counterpart). */
  fields: ReadonlySet<string>;
}

type Text = string | ((ctx: FieldDocContext) => string | undefined);

const range = (r: { min: number; max: number }): string => `${r.min}–${r.max}`;
const size = (s: { width: number; height: number }): string => `${s.width}×${s.height}`;
const short = (id: EcosystemId): string => (id.startsWith('sd') ? id.toUpperCase() : id.charAt(0).toUpperCase() + id.slice(1));

export const IMAGE_GEN_FIELD_DOCS: Readonly<Record<string, Text>> = {
  engine: (c) => `Which runtime generates the image. ${c.engine === 'sdcpp' ? 'sdcpp is the guides\' default for SD1, SDXL and Anima.' : 'comfy takes ComfyUI sampler and scheduler names.'}`,
  ecosystem: (c) => `The model family: ${ECOSYSTEM_VALUE_DOCS[c.ecosystem] ?? c.ecosystem}`,
  operation: (c) => `${OPERATION_DOCS[c.operation] ?? c.operation}`,
  prompt: (c) =>
    c.ecosystem === 'sdxl'
      ? 'What to draw. SDXL understands tags and plain sentences; leading quality tags still help.'
      : `What to draw. ${short(c.ecosystem)} responds best to comma-separated tags, quality tags first (\`masterpiece, best quality, …\`).`,
  negativePrompt: (c) => `What to keep out of the image. ${c.ecosystem === 'sd1' ? 'Strongly advised on SD1' : 'Recommended'}: start from quality terms such as \`worst quality, low quality, blurry\`.`,
  width: (c) => `Image width in pixels. ${short(c.ecosystem)} is trained at ${size(c.eco.native)}; keep the total area near that and use multiples of ${DIMENSION_MULTIPLE}.`,
  height: (c) => `Image height in pixels. ${short(c.ecosystem)} is trained at ${size(c.eco.native)}; keep the total area near that and use multiples of ${DIMENSION_MULTIPLE}.`,
  steps: (c) => `Denoising steps: more is slower and costs more. The guides find ${range(c.eco.stepsTypical)} typical for ${short(c.ecosystem)}.`,
  cfgScale: (c) => `How strictly the image follows the prompt. The guides' sweet spot for ${short(c.ecosystem)} is ${range(c.eco.cfgSweetSpot)}; higher burns colours.`,
  sampleMethod: 'Sampler (sdcpp names; comfy calls this field `sampler`). The service uses `euler` when omitted.',
  schedule: (c) => `Noise schedule (sdcpp names; comfy calls this field \`scheduler\`). The service uses \`${c.ecosystem === 'anima' ? 'simple' : 'discrete'}\` when omitted.`,
  sampler: 'Sampler (ComfyUI names; sdcpp calls this field `sampleMethod`).',
  scheduler: 'Noise scheduler (ComfyUI names; sdcpp calls this field `schedule`).',
  clipSkip: (c) =>
    c.engine === 'sdcpp'
      ? 'How many final CLIP layers to skip. Many SD1 community checkpoints are tuned for `2`; the SD1 guide uses `-1` for the checkpoint\'s own setting.'
      : 'How many final CLIP layers to skip; many SD1 community checkpoints are tuned for `2`.',
  seed: 'Fix it to reproduce an image; leave it out for a random one.',
  quantity: 'How many images to make; cost grows with it.',
  model: (c) => `The ${short(c.ecosystem)} checkpoint, as an AIR: \`urn:air:${c.ecosystem}:checkpoint:civitai:<modelId>@<versionId>\`.`,
  vaeModel: 'A VAE (AIR) to use instead of the one baked into the checkpoint. Rarely needed.',
  diffuserModel: 'Override of the built-in Anima model, as an AIR. Leave it out unless you know you need it.',
  loras: (c) => `LoRAs to apply: a map of AIR → strength. ${range(LORA_STRENGTH_TYPICAL)} is typical; only ${short(c.ecosystem)} LoRAs work here.`,
  embeddings: 'Textual inversions (AIRs). Use them by writing their trigger word in the prompt or negative prompt.',
  uCache: 'sdcpp cache mode; leave it out unless you know you need it.',
  image: 'The source image: a URL (or a reference to a previous step\'s output image).',
  strength: 'How far to move from the source image: `0` keeps it, `1` ignores it; values in between keep the composition and change the style. (comfy calls this `denoiseStrength`.)',
  denoiseStrength: 'How far to move from the source image: `0` keeps it, `1` ignores it. (sdcpp calls this `strength`.)',
  controlNets: 'ControlNet guidance: each entry a control image, its preprocessor, weight and the step range it applies to.',
  outputFormat: 'Image file format of the results.',
  imageMetadata: 'Text stored with the generated images.',
};

/** The guides' notes that disagree with the contract, for the fields they concern. */
export function docsVsContractNotes(ecosystem: EcosystemId, field: string): string[] {
  const needle = field === 'height' ? 'height' : field === 'operation' ? 'createVariant' : field === 'engine' ? 'engine' : field;
  return ECOSYSTEMS[ecosystem].docsVsContract.filter((note) => note.toLowerCase().includes(needle.toLowerCase()));
}
