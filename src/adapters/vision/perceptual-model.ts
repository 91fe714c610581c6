/**
 * TestDriver's own image-embedding model, written as ONNX bytes by this module, so embeddings work with no
 * download. It is a perceptual embedding, not a learned one:
 *
 *   input  `image`: float32 [1, 1, 64, 64], grey levels 0–1 (the screenshot resized by area averaging)
 *   part 1: the 16×16 lowest 2-D DCT-II frequencies of the mean-centred image (overall layout and shading)
 *   part 2: Sobel gradient magnitudes (x and y) pooled over a 16×8 grid (where edges are: text, borders)
 *   output `embedding`: float32 [1, 512], each part L2-normalised and scaled by 1/√2, so ‖embedding‖ = 1
 *
 * Cosine distance between two embeddings is then 0 for identical screens, small for noise and colour
 * shifts, larger as layout changes. The graph uses only opset-13 operators every ONNX runtime has.
 */

export const PERCEPTUAL_MODEL_NAME = "testdriver-perceptual-v1";
export const PERCEPTUAL_INPUT = { size: 64, channels: 1 as const };
const N = 64;
const K = 16;

// --- A minimal protobuf writer: the few wire types ONNX's ModelProto needs. -------------------------
function varint(value: number | bigint): number[] {
  let v = BigInt(value);
  if (v < 0n) v += 1n << 64n;
  const out: number[] = [];
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}
type Field = number[];
const tag = (field: number, wire: number) => varint((field << 3) | wire);
const int = (field: number, value: number | bigint): Field => [...tag(field, 0), ...varint(value)];
const bytes = (field: number, data: Uint8Array | number[]): Field => [
  ...tag(field, 2),
  ...varint(data.length),
  ...data,
];
const str = (field: number, s: string) => bytes(field, [...Buffer.from(s, "utf8")]);
const msg = (field: number, ...parts: Field[]) => bytes(field, parts.flat());

// --- ONNX messages (field numbers from onnx.proto3). ------------------------------------------------
const FLOAT = 1;
const INT64 = 7;
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_INTS = 7;

function tensor(name: string, dims: number[], values: Float32Array | BigInt64Array): Field {
  const raw = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  return msg(
    5,
    ...dims.map((d) => int(1, d)),
    int(2, values instanceof Float32Array ? FLOAT : INT64),
    str(8, name),
    bytes(9, raw),
  );
}

type Attr = { name: string } & ({ i: number } | { ints: number[] } | { f: number });
function attribute(a: Attr): Field {
  if ("i" in a) return msg(5, str(1, a.name), int(3, a.i), int(20, ATTR_INT));
  if ("f" in a) {
    const f = Buffer.alloc(4);
    f.writeFloatLE(a.f);
    return msg(5, str(1, a.name), [...tag(2, 5), ...f], int(20, ATTR_FLOAT));
  }
  return msg(5, str(1, a.name), ...a.ints.map((v) => int(8, v)), int(20, ATTR_INTS));
}

function node(op: string, inputs: string[], outputs: string[], attrs: Attr[] = []): Field {
  return msg(
    1,
    ...inputs.map((i) => str(1, i)),
    ...outputs.map((o) => str(2, o)),
    str(3, `${op}_${outputs[0]}`),
    str(4, op),
    ...attrs.map(attribute),
  );
}

function valueInfo(field: number, name: string, dims: number[]): Field {
  const shape = msg(2, ...dims.map((d) => msg(1, int(1, d))));
  return msg(field, str(1, name), msg(2, msg(1, int(1, FLOAT), shape)));
}

/** Rows 0..K-1 of the orthonormal N-point DCT-II matrix. */
export function dctRows(n = N, k = K): Float32Array {
  const d = new Float32Array(k * n);
  for (let u = 0; u < k; u++) {
    const scale = u === 0 ? Math.sqrt(1 / n) : Math.sqrt(2 / n);
    for (let x = 0; x < n; x++) d[u * n + x] = scale * Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  }
  return d;
}

function transpose(m: Float32Array, rows: number, cols: number): Float32Array {
  const t = new Float32Array(m.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c]!;
  return t;
}

/** The model's ONNX bytes (deterministic: the same bytes on every machine). */
export function buildPerceptualModel(): Uint8Array {
  const d = dctRows();
  const sobel = new Float32Array([-1, 0, 1, -2, 0, 2, -1, 0, 1, -1, -2, -1, 0, 0, 0, 1, 2, 1]);
  const graph = [
    node(
      "ReduceMean",
      ["image"],
      ["mean"],
      [
        { name: "axes", ints: [2, 3] },
        { name: "keepdims", i: 1 },
      ],
    ),
    node("Sub", ["image", "mean"], ["centred"]),
    node("MatMul", ["dct", "centred"], ["rows_freq"]),
    node("MatMul", ["rows_freq", "dct_t"], ["freq"]),
    node("Flatten", ["freq"], ["freq_flat"], [{ name: "axis", i: 1 }]),
    node(
      "LpNormalization",
      ["freq_flat"],
      ["freq_unit"],
      [
        { name: "axis", i: 1 },
        { name: "p", i: 2 },
      ],
    ),
    node(
      "Conv",
      ["image", "sobel"],
      ["gradients"],
      [
        { name: "kernel_shape", ints: [3, 3] },
        { name: "pads", ints: [1, 1, 1, 1] },
      ],
    ),
    node("Abs", ["gradients"], ["magnitudes"]),
    node(
      "AveragePool",
      ["magnitudes"],
      ["pooled"],
      [
        { name: "kernel_shape", ints: [4, 8] },
        { name: "strides", ints: [4, 8] },
      ],
    ),
    node("Flatten", ["pooled"], ["edges_flat"], [{ name: "axis", i: 1 }]),
    node(
      "LpNormalization",
      ["edges_flat"],
      ["edges_unit"],
      [
        { name: "axis", i: 1 },
        { name: "p", i: 2 },
      ],
    ),
    node("Concat", ["freq_unit", "edges_unit"], ["joined"], [{ name: "axis", i: 1 }]),
    node("Mul", ["joined", "half_root"], ["embedding"]),
  ];
  const initializers = [
    tensor("dct", [K, N], d),
    tensor("dct_t", [N, K], transpose(d, K, N)),
    tensor("sobel", [2, 1, 3, 3], sobel),
    tensor("half_root", [1], new Float32Array([Math.SQRT1_2])),
  ];
  const graphProto = msg(
    7,
    ...graph,
    str(2, PERCEPTUAL_MODEL_NAME),
    ...initializers,
    valueInfo(11, "image", [1, 1, N, N]),
    valueInfo(12, "embedding", [1, 512]),
  );
  const model = [
    ...int(1, 7), // ir_version 7 (ONNX 1.8), which opset 13 needs at least
    ...str(2, "testdriver"),
    ...graphProto,
    ...msg(8, str(1, ""), int(2, 13)),
  ];
  return Uint8Array.from(model);
}
