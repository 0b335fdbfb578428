// A thin helper over the generated ONNX protobuf classes (OnnxSharp has no graph builder): it names values,
// stores constants as initializers and appends nodes in the order they are made, which keeps the graph
// topologically sorted as ONNX requires.
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;

namespace GlowML.Onnx;

/// <summary>Builds one ONNX graph, node by node, with float32 values and int64 shape constants.</summary>
internal sealed class OnnxGraphBuilder
{
    private const int FloatType = (int)TensorProto.Types.DataType.Float;
    private const int Int64Type = (int)TensorProto.Types.DataType.Int64;

    private readonly Dictionary<string, int> _counters = new();

    public OnnxGraphBuilder(string name)
    {
        Graph = new GraphProto { Name = name };
    }

    /// <summary>The graph built so far.</summary>
    public GraphProto Graph { get; }

    /// <summary>Declares a float input; a string dimension is symbolic (the batch), a long is fixed.</summary>
    public string Input(string name, params object[] dims)
    {
        Graph.Input.Add(ValueInfo(name, dims));
        return name;
    }

    /// <summary>Declares a float output with its shape.</summary>
    public void Output(string name, params object[] dims) => Graph.Output.Add(ValueInfo(name, dims));

    /// <summary>A float32 constant of the given shape (an empty shape is a scalar).</summary>
    public string Constant(string hint, float[] values, params long[] dims)
    {
        long count = dims.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
        {
            throw new ArgumentException(
                $"Constant '{hint}' has {values.Length} values for shape [{string.Join(", ", dims)}] ({count}).");
        }

        var tensor = new TensorProto { Name = NewName(hint), DataType = FloatType };
        tensor.Dims.AddRange(dims);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>A float32 scalar constant.</summary>
    public string Scalar(string hint, double value) => Constant(hint, new[] { (float)value });

    /// <summary>A 1-D int64 constant (shapes, split sizes, axes).</summary>
    public string Int64s(string hint, params long[] values)
    {
        var tensor = new TensorProto { Name = NewName(hint), DataType = Int64Type };
        tensor.Dims.Add(values.Length);
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Appends a node with one output (named <paramref name="output"/> when given) and returns it.</summary>
    public string Node(string op, string[] inputs, string? output = null, params AttributeProto[] attributes) =>
        Node(op, inputs, 1, output is null ? null : new[] { output }, attributes)[0];

    /// <summary>Appends a node with <paramref name="outputCount"/> outputs and returns their names.</summary>
    public string[] Node(string op, string[] inputs, int outputCount, string[]? outputs = null,
        params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = NewName(op) };
        node.Input.AddRange(inputs);
        var names = outputs ?? Enumerable.Range(0, outputCount).Select(_ => NewName(op + "_out")).ToArray();
        node.Output.AddRange(names);
        node.Attribute.AddRange(attributes);
        Graph.Node.Add(node);
        return names;
    }

    public string Add(string a, string b) => Node("Add", new[] { a, b });

    public string Sub(string a, string b) => Node("Sub", new[] { a, b });

    public string Mul(string a, string b) => Node("Mul", new[] { a, b });

    public string Div(string a, string b) => Node("Div", new[] { a, b });

    public string Exp(string x) => Node("Exp", new[] { x });

    public string Relu(string x) => Node("Relu", new[] { x });

    public string Softplus(string x) => Node("Softplus", new[] { x });

    public string Concat(params string[] parts) => Node("Concat", parts, null, Int("axis", 1));

    /// <summary>Splits along the channel axis into parts of the given sizes (an input since opset 13).</summary>
    public string[] SplitChannels(string x, params long[] sizes) =>
        Node("Split", new[] { x, Int64s("split", sizes) }, sizes.Length, null, Int("axis", 1));

    /// <summary>Reshape; a 0 copies that dimension from the input, which keeps the batch dynamic.</summary>
    public string Reshape(string x, params long[] shape) => Node("Reshape", new[] { x, Int64s("shape", shape) });

    public string Transpose(string x, params long[] perm) => Node("Transpose", new[] { x }, null, Ints("perm", perm));

    /// <summary>Sums over every axis but the batch: [N, ...] -> [N] (axes are an input since opset 13).</summary>
    public string SumPerItem(string x, int rank) =>
        Node("ReduceSum", new[] { x, Int64s("axes", Enumerable.Range(1, rank - 1).Select(i => (long)i).ToArray()) },
            null, Int("keepdims", 0));

    /// <summary>A 2-D convolution with "same" zero padding, weight [Cout, Cin, k, k] and bias [Cout].</summary>
    public string Conv(string x, FoldedConv conv, string hint)
    {
        long pad = conv.KernelSize / 2;
        var weight = Constant(hint + "_w", conv.Weight, conv.OutChannels, conv.InChannels, conv.KernelSize,
            conv.KernelSize);
        var bias = Constant(hint + "_b", conv.Bias, conv.OutChannels);
        return Node("Conv", new[] { x, weight, bias }, null,
            Ints("kernel_shape", conv.KernelSize, conv.KernelSize), Ints("pads", pad, pad, pad, pad));
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    private static ValueInfoProto ValueInfo(string name, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"Dimension of '{name}' must be a string or an integer, got {dim}."),
            });
        }

        var tensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape };
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }

    private string NewName(string hint)
    {
        _counters.TryGetValue(hint, out int n);
        _counters[hint] = n + 1;
        return $"{hint}_{n}";
    }
}
