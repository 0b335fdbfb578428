using GlowML.Flows;
using GlowML.Model;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

public class LogDeterminantTests
{
    /// <summary>log|det J| of f at x (one image) by building the Jacobian row by row with autograd.</summary>
    private static double AutogradLogDet(Func<Tensor, Tensor> f, Tensor x)
    {
        var input = x.detach().requires_grad_(true);
        var output = f(input).reshape(-1);
        long d = output.shape[0];
        var rows = new Tensor[d];
        for (long i = 0; i < d; i++)
        {
            var grad = autograd.grad(new[] { output[i] }, new[] { input }, retain_graph: true)[0];
            rows[i] = grad.reshape(-1);
        }

        return linalg.slogdet(stack(rows)).Item2.item<double>();
    }

    public static TheoryData<PermutationKind, CouplingKind> Kinds()
    {
        var data = new TheoryData<PermutationKind, CouplingKind>();
        foreach (var p in Enum.GetValues<PermutationKind>())
        {
            foreach (var c in Enum.GetValues<CouplingKind>())
            {
                data.Add(p, c);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void WholeFlowLogDetMatchesAutograd(PermutationKind permutation, CouplingKind coupling)
    {
        // 1x4x4 image, one level: x -> raw z has a 16x16 Jacobian.
        var a = TinyModels.Architecture(1, 4, 4, blocks: 1, flows: 2, permutation: permutation, coupling: coupling);
        using var scope = NewDisposeScope();
        var model = TinyModels.Trained(a);
        model.to(float64);
        var level = model.Levels[0];
        var x = TinyModels.Images(a, 1).to(float64);
        Tensor Flow(Tensor input) => level.Flow(Squeeze.Apply(input - 0.5, 2)).Z;
        double expected = AutogradLogDet(Flow, x);
        double actual;
        using (no_grad())
        {
            actual = level.Flow(Squeeze.Apply(x - 0.5, 2)).LogDet.item<double>();
        }

        Assert.Equal(expected, actual, 3);
        if (coupling == CouplingKind.Affine || permutation is PermutationKind.Conv or PermutationKind.ConvPlain)
        {
            Assert.True(Math.Abs(actual) > 1e-2, "the test must exercise a non-trivial log-determinant");
        }
    }

    [Fact]
    public void ActNormLogDetMatchesAutograd()
    {
        using var scope = NewDisposeScope();
        var layer = new ActNorm(2);
        var x = rand(1, 2, 2, 2, dtype: ScalarType.Float64);
        layer.to(float64);
        using (no_grad())
        {
            layer.forward(rand(4, 2, 2, 2, dtype: ScalarType.Float64) * 3);
        }

        double expected = AutogradLogDet(t => layer.forward(t).Z, x);
        Assert.Equal(expected, layer.forward(x).LogDet.item<double>(), 6);
    }

    [Fact]
    public void PlainConvWithNegativeDeterminantHasFiniteLogDet()
    {
        using var scope = NewDisposeScope();
        var layer = new PlainConv1x1(3);
        layer.to(float64);
        using (no_grad())
        {
            // Swap two rows: det flips sign but |det| stays.
            var w = layer.Weight();
            var swapped = w.index_select(0, tensor(new long[] { 1, 0, 2 }));
            w.copy_(swapped);
        }

        Assert.True(linalg.det(layer.Weight()).item<double>() < 0);
        var x = rand(2, 3, 2, 2, dtype: ScalarType.Float64);
        var (z, logDet) = layer.forward(x);
        Assert.True(logDet.isfinite().all().item<bool>());
        Assert.Equal(new long[] { 2 }, logDet.shape);
        double expected = AutogradLogDet(t => layer.forward(t).Z, x[0].unsqueeze(0));
        Assert.Equal(expected, logDet[0].item<double>(), 6);
        Assert.True((layer.Reverse(z) - x).abs().max().item<double>() < 1e-10);
    }

    [Fact]
    public void EveryLayerReturnsOneLogDetPerImage()
    {
        using var scope = NewDisposeScope();
        var x = rand(5, 4, 2, 2);
        FlowLayer[] layers =
        {
            new ActNorm(4), new InvertibleConv1x1(4), new PlainConv1x1(4), ChannelPermutation.Shuffle(4),
            ChannelPermutation.Reversed(4), new Coupling(4, CouplingKind.Affine, 8, 3),
            new Coupling(4, CouplingKind.Additive, 8, 3), new GlowStep(4, PermutationKind.Conv, CouplingKind.Affine, 8, 3),
        };
        foreach (var layer in layers)
        {
            var (z, logDet) = layer.forward(x);
            Assert.Equal(new long[] { 5 }, logDet.shape);
            Assert.True((layer.Reverse(z) - x).abs().max().item<float>() < 1e-5, layer.GetType().Name);
        }

        var (squeezed, squeezeLogDet) = new Squeeze(2).forward(x);
        Assert.Equal(new long[] { 5 }, squeezeLogDet.shape);
        Assert.Equal(new long[] { 5, 16, 1, 1 }, squeezed.shape);
    }
}
