// Glow (Kingma & Dhariwal, 2018), section 3: every layer is a bijection with a tractable Jacobian.
// Direction convention throughout GlowML: forward maps data x to latent z, reverse maps z back to x.
using TorchSharp;
using static TorchSharp.torch;

namespace GlowML.Flows;

/// <summary>
/// The contract every invertible layer of the flow keeps: <c>forward</c> maps x to
/// (z, log|det dz/dx|) with the log-determinant shaped [B], and <see cref="Reverse"/> maps z back to x.
/// </summary>
public abstract class FlowLayer : nn.Module<Tensor, (Tensor Z, Tensor LogDet)>
{
    /// <summary>Creates a layer with the given module name.</summary>
    protected FlowLayer(string name) : base(name)
    {
    }

    /// <summary>Inverts <c>forward</c>: given z [B, C', H', W'] returns x [B, C, H, W].</summary>
    public abstract Tensor Reverse(Tensor z);

    /// <summary>A zero log-determinant [B] on the device and dtype of <paramref name="like"/>.</summary>
    protected static Tensor ZeroLogDet(Tensor like) =>
        torch.zeros(like.shape[0], dtype: like.dtype, device: like.device);

    /// <summary>Throws unless <paramref name="x"/> is a [B, C, H, W] tensor with the expected channel count.</summary>
    protected static void CheckInput(Tensor x, long expectedChannels, string layer)
    {
        if (x.dim() != 4)
        {
            throw new ArgumentException(
                $"{layer} expects a [B, C, H, W] tensor, got rank {x.dim()} [{string.Join(", ", x.shape)}].");
        }

        if (expectedChannels > 0 && x.shape[1] != expectedChannels)
        {
            throw new ArgumentException(
                $"{layer} expects {expectedChannels} channels, got {x.shape[1]} in [{string.Join(", ", x.shape)}].");
        }
    }
}
