using GlowML.Data;

namespace GlowML.Ood;

/// <summary>An image set with the name an out-of-distribution report shows for it; disposing it frees the images.
/// </summary>
/// <param name="Name">The name in reports and on the console: a built-in data set's name, <c>constant</c>,
/// <c>noise</c>, or the path as the user gave it.</param>
/// <param name="Images">uint8 images [N, C, H, W]; <see cref="ImageSet.Source"/> says where they were read.</param>
public sealed record NamedImageSet(string Name, ImageSet Images) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Images.Dispose();
}
