using GlowML.Flows;
using Xunit;
using static TorchSharp.torch;

namespace GlowML.Tests.Flows;

/// <summary>
/// InvertibleConv1x1 caches W and W^-1 for gradient-free calls; these tests pin that the cache changes nothing but
/// speed: same outputs as the rebuilt weights, and any change of the parameters (a load, an in-place edit, a
/// training step) is seen by the next call.
/// </summary>
public sealed class InvertibleConvCacheTests
{
    private static Tensor Input(long seed) =>
        randn(new long[] { 3, 12, 4, 4 }, generator: new Generator((ulong)seed));

    // With gradients on the layer always rebuilds W from its parameters: the uncached reference.
    private static (Tensor Z, Tensor X) Uncached(InvertibleConv1x1 layer, Tensor x, Tensor z)
    {
        using var grad = enable_grad();
        return (layer.forward(x).Z.detach(), layer.Reverse(z).detach());
    }

    private static (Tensor Z, Tensor X) Cached(InvertibleConv1x1 layer, Tensor x, Tensor z)
    {
        using var noGrad = no_grad();
        return (layer.forward(x).Z, layer.Reverse(z));
    }

    [Fact]
    public void CachedOutputsEqualRebuiltOnesOnRepeatedCalls()
    {
        using var layer = new InvertibleConv1x1(12, new Generator(3));
        layer.eval();
        var (x, z) = (Input(1), Input(2));
        var expected = Uncached(layer, x, z);
        for (int call = 0; call < 3; call++)
        {
            var actual = Cached(layer, x, z);
            Assert.True(actual.Z.equal(expected.Z).all().item<bool>(), $"forward differs on cached call {call}");
            Assert.True(actual.X.equal(expected.X).all().item<bool>(), $"reverse differs on cached call {call}");
        }

        using var noGrad = no_grad();
        Assert.True(layer.Reverse(layer.forward(x).Z).allclose(x, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void LoadAfterCachingIsHonoured()
    {
        using var layer = new InvertibleConv1x1(12, new Generator(3));
        using var other = new InvertibleConv1x1(12, new Generator(4));
        layer.eval();
        var (x, z) = (Input(1), Input(2));
        var before = Cached(layer, x, z);

        using var folder = TestPaths.NewTempFolder();
        var file = Path.Combine(folder.Path, "conv.bin");
        other.save(file);
        layer.load(file);

        var after = Cached(layer, x, z);
        var expected = Uncached(other, x, z);
        Assert.False(after.Z.allclose(before.Z), "the forward still uses the weights from before the load");
        Assert.True(after.Z.allclose(expected.Z, rtol: 0, atol: 0));
        Assert.True(after.X.allclose(expected.X, rtol: 0, atol: 0));
    }

    [Fact]
    public void InPlaceEditAndTrainingStepAfterCachingAreHonoured()
    {
        using var layer = new InvertibleConv1x1(12, new Generator(3));
        layer.eval();
        var (x, z) = (Input(1), Input(2));
        var before = Cached(layer, x, z);
        using (no_grad())
        {
            layer.parameters().First(p => p.dim() == 1).add_(0.1);
        }

        var edited = Cached(layer, x, z);
        Assert.False(edited.Z.allclose(before.Z), "an in-place edit of log|s| was not seen");
        Assert.True(edited.Z.allclose(Uncached(layer, x, z).Z, rtol: 0, atol: 0));

        // Training builds W through autograd, so every parameter gets a gradient even after caching.
        layer.train();
        using var optimizer = optim.SGD(layer.parameters(), 0.1);
        var loss = layer.forward(x).Z.square().mean();
        loss.backward();
        Assert.All(layer.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
        optimizer.step();
        layer.eval();
        var stepped = Cached(layer, x, z);
        Assert.False(stepped.Z.allclose(edited.Z), "the optimiser step was not seen");
        Assert.True(stepped.X.allclose(Uncached(layer, x, z).X, rtol: 0, atol: 0));
    }
}
