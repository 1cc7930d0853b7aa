// A deliberately tiny H.264 encoder for the emulator's stand-in videos: Baseline profile, CAVLC,
// every coded macroblock I_PCM (raw samples, no transform or prediction), and P frames that skip
// every macroblock that did not change. Nothing to tune and no tables to carry, yet the result is
// a stream every H.264 decoder plays (browsers, VS Code's webviews, ffmpeg). Not a real encoder:
// a frame where everything moves costs 384 bytes per 16×16 block.

/** One frame in YUV 4:2:0 (BT.601, limited range): `y` is width×height, `u`/`v` a quarter each. */
export interface YuvFrame {
  y: Uint8Array;
  u: Uint8Array;
  v: Uint8Array;
}

class BitWriter {
  private bytes: number[] = [];
  private current = 0;
  private count = 0;

  bit(b: number): void {
    this.current = (this.current << 1) | (b & 1);
    if (++this.count === 8) {
      this.bytes.push(this.current);
      this.current = 0;
      this.count = 0;
    }
  }

  bits(value: number, n: number): void {
    for (let i = n - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }

  /** Unsigned Exp-Golomb. */
  ue(value: number): void {
    const v = value + 1;
    const len = 32 - Math.clz32(v);
    this.bits(0, len - 1);
    this.bits(v, len);
  }

  /** Signed Exp-Golomb. */
  se(value: number): void {
    this.ue(value <= 0 ? -2 * value : 2 * value - 1);
  }

  get aligned(): boolean {
    return this.count === 0;
  }

  alignZero(): void {
    while (this.count !== 0) this.bit(0);
  }

  byte(value: number): void {
    this.bits(value, 8);
  }

  /** rbsp_trailing_bits: a 1, then zeros to the byte boundary. */
  trailing(): Uint8Array {
    this.bit(1);
    this.alignZero();
    return Uint8Array.from(this.bytes);
  }
}

/** NAL unit payload with emulation-prevention bytes (00 00 0x → 00 00 03 0x for x ≤ 3). */
function nal(refIdc: number, type: number, rbsp: Uint8Array): Uint8Array {
  const out: number[] = [(refIdc << 5) | type];
  let zeros = 0;
  for (const b of rbsp) {
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Uint8Array.from(out);
}

const LOG2_MAX_FRAME_NUM = 8;

export interface H264Stream {
  sps: Uint8Array;
  pps: Uint8Array;
  /** One NAL unit per frame (the first is IDR). */
  frames: Uint8Array[];
  profile: number;
  level: number;
}

/** Encodes frames of `width`×`height` (multiples of 16). */
export function encodeH264(width: number, height: number, frames: readonly YuvFrame[]): H264Stream {
  if (width % 16 || height % 16 || width <= 0 || height <= 0) throw new RangeError('width and height must be positive multiples of 16');
  if (frames.length === 0) throw new RangeError('at least one frame');
  const mbW = width / 16;
  const mbH = height / 16;
  const level = mbW * mbH <= 396 ? 30 : mbW * mbH <= 1620 ? 31 : 40;

  const sps = new BitWriter();
  sps.byte(66); // Baseline
  sps.byte(0xc0); // constraint_set0 and set1: also Constrained Baseline
  sps.byte(level);
  sps.ue(0); // seq_parameter_set_id
  sps.ue(LOG2_MAX_FRAME_NUM - 4);
  sps.ue(2); // pic_order_cnt_type 2: output order = decoding order
  sps.ue(1); // max_num_ref_frames
  sps.bit(0); // gaps_in_frame_num_value_allowed_flag
  sps.ue(mbW - 1);
  sps.ue(mbH - 1);
  sps.bit(1); // frame_mbs_only_flag
  sps.bit(1); // direct_8x8_inference_flag
  sps.bit(0); // frame_cropping_flag
  sps.bit(0); // vui_parameters_present_flag

  const pps = new BitWriter();
  pps.ue(0); // pic_parameter_set_id
  pps.ue(0); // seq_parameter_set_id
  pps.bit(0); // entropy_coding_mode_flag: CAVLC
  pps.bit(0); // bottom_field_pic_order_in_frame_present_flag
  pps.ue(0); // num_slice_groups_minus1
  pps.ue(0); // num_ref_idx_l0_default_active_minus1
  pps.ue(0); // num_ref_idx_l1_default_active_minus1
  pps.bit(0); // weighted_pred_flag
  pps.bits(0, 2); // weighted_bipred_idc
  pps.se(0); // pic_init_qp_minus26
  pps.se(0); // pic_init_qs_minus26
  pps.se(0); // chroma_qp_index_offset
  pps.bit(1); // deblocking_filter_control_present_flag
  pps.bit(0); // constrained_intra_pred_flag
  pps.bit(0); // redundant_pic_cnt_present_flag

  const encoded = frames.map((frame, i) => {
    const idr = i === 0;
    const w = new BitWriter();
    w.ue(0); // first_mb_in_slice
    w.ue(idr ? 2 : 0); // slice_type: I or P
    w.ue(0); // pic_parameter_set_id
    w.bits(i % (1 << LOG2_MAX_FRAME_NUM), LOG2_MAX_FRAME_NUM); // frame_num
    if (idr) w.ue(0); // idr_pic_id
    else {
      w.bit(0); // num_ref_idx_active_override_flag
      w.bit(0); // ref_pic_list_modification_flag_l0
    }
    if (idr) {
      w.bit(0); // no_output_of_prior_pics_flag
      w.bit(0); // long_term_reference_flag
    } else {
      w.bit(0); // adaptive_ref_pic_marking_mode_flag
    }
    w.se(0); // slice_qp_delta
    w.ue(1); // disable_deblocking_filter_idc: off (I_PCM needs none)

    const previous = idr ? undefined : frames[i - 1];
    let skipped = 0;
    for (let mby = 0; mby < mbH; mby++) {
      for (let mbx = 0; mbx < mbW; mbx++) {
        if (previous && sameMacroblock(frame, previous, width, mbx, mby)) {
          skipped++;
          continue;
        }
        if (!idr) {
          w.ue(skipped); // mb_skip_run
          skipped = 0;
        }
        w.ue(idr ? 25 : 30); // mb_type I_PCM (5 + 25 in a P slice)
        w.alignZero(); // pcm_alignment_zero_bit
        writePcm(w, frame, width, mbx, mby);
      }
    }
    if (!idr && skipped > 0) w.ue(skipped);
    return nal(idr ? 3 : 2, idr ? 5 : 1, w.trailing());
  });

  return { sps: nal(3, 7, sps.trailing()), pps: nal(3, 8, pps.trailing()), frames: encoded, profile: 66, level };
}

// PCM samples of 0 were forbidden in early editions of the standard: keep them at least 1.
const pcm = (v: number): number => (v < 1 ? 1 : v);

function writePcm(w: BitWriter, f: YuvFrame, width: number, mbx: number, mby: number): void {
  for (let y = 0; y < 16; y++) {
    const row = (mby * 16 + y) * width + mbx * 16;
    for (let x = 0; x < 16; x++) w.byte(pcm(f.y[row + x]));
  }
  const cw = width / 2;
  for (const plane of [f.u, f.v]) {
    for (let y = 0; y < 8; y++) {
      const row = (mby * 8 + y) * cw + mbx * 8;
      for (let x = 0; x < 8; x++) w.byte(pcm(plane[row + x]));
    }
  }
}

function sameMacroblock(a: YuvFrame, b: YuvFrame, width: number, mbx: number, mby: number): boolean {
  for (let y = 0; y < 16; y++) {
    const row = (mby * 16 + y) * width + mbx * 16;
    for (let x = 0; x < 16; x++) if (a.y[row + x] !== b.y[row + x]) return false;
  }
  const cw = width / 2;
  for (let y = 0; y < 8; y++) {
    const row = (mby * 8 + y) * cw + mbx * 8;
    for (let x = 0; x < 8; x++) if (a.u[row + x] !== b.u[row + x] || a.v[row + x] !== b.v[row + x]) return false;
  }
  return true;
}

/** RGB (3 bytes per pixel) to YUV 4:2:0, BT.601 limited range; chroma averaged over 2×2. */
export function rgbToYuv(rgb: Uint8Array, width: number, height: number): YuvFrame {
  const y = new Uint8Array(width * height);
  const u = new Uint8Array((width / 2) * (height / 2));
  const v = new Uint8Array((width / 2) * (height / 2));
  for (let i = 0, p = 0; i < width * height; i++, p += 3) {
    y[i] = Math.round(16 + (65.481 * rgb[p] + 128.553 * rgb[p + 1] + 24.966 * rgb[p + 2]) / 255);
  }
  for (let cy = 0; cy < height / 2; cy++) {
    for (let cx = 0; cx < width / 2; cx++) {
      let r = 0;
      let g = 0;
      let b = 0;
      for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
        const p = ((cy * 2 + dy) * width + cx * 2 + dx) * 3;
        r += rgb[p];
        g += rgb[p + 1];
        b += rgb[p + 2];
      }
      r /= 4;
      g /= 4;
      b /= 4;
      const o = cy * (width / 2) + cx;
      u[o] = Math.round(128 + (-37.797 * r - 74.203 * g + 112 * b) / 255);
      v[o] = Math.round(128 + (112 * r - 93.786 * g - 18.214 * b) / 255);
    }
  }
  return { y, u, v };
}
