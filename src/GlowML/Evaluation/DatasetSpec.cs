using GlowML.Data;
using GlowML.Model;

namespace GlowML.Ood;

/// <summary>
/// Turns the DATASET text of <c>glow ood --in/--out</c> into images at a model's shape. A DATASET is one of:
/// <list type="bullet">
/// <item>a built-in name, read from its test split under the data path: <c>fashion-mnist</c>
/// (fashion-mnist/t10k-images-idx3-ubyte[.gz]), <c>mnist</c> (mnist/t10k-images-idx3-ubyte[.gz]), <c>cifar10</c>
/// (cifar-10-batches-bin/test_batch.bin, else cifar-10-binary.tar.gz, else the JPEG folder cifar10-jpg/test);</item>
/// <item>a synthetic set made at the model's shape from the seed: <c>constant</c> or <c>noise</c>;</item>
/// <item>a path: an IDX image file (plain or gzip), a CIFAR-10 batch <c>.bin</c>, a CIFAR-10 <c>.tar.gz</c>/<c>.tgz</c>
/// (its test batch), a folder holding <c>test_batch.bin</c>, or an image folder (png, jpg, bmp, webp; loose or one
/// subfolder per class).</item>
/// </list>
/// Names are matched first, so a file called <c>mnist</c> in the working folder needs a path such as <c>./mnist</c>.
/// </summary>
public static class DatasetSpec
{
    /// <summary>The built-in data set names.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = ["fashion-mnist", "mnist", "cifar10"];

    /// <summary>The DATASET syntax in one paragraph, for command-line help.</summary>
    public const string Syntax =
        "DATASET is a built-in name read from its test split under --data-path (fashion-mnist, mnist, cifar10), "
        + "a synthetic set at the model's shape (constant, noise: as many images as the in-set, seeded), or a path "
        + "to an IDX image file (.gz or not), a CIFAR-10 batch .bin, a CIFAR-10 .tar.gz or folder of batches (its "
        + "test batch), or an image folder (png/jpg/bmp/webp, loose or in class subfolders).";

    private const string IdxTestImages = "t10k-images-idx3-ubyte";
    private const string CifarJpegTest = "cifar10-jpg/test";

    /// <summary>True when <paramref name="spec"/> names a synthetic set (<c>constant</c> or <c>noise</c>), whose
    /// size a caller usually matches to the in-set's.</summary>
    public static bool IsSynthetic(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return SyntheticOutSets.Names.Contains(spec.Trim().ToLowerInvariant());
    }

    /// <summary>
    /// Reads the images <paramref name="spec"/> names (see the type's remarks) and checks them against the model's
    /// [C, H, W].
    /// </summary>
    /// <param name="spec">The DATASET text.</param>
    /// <param name="dataPath">Folder the built-in names are resolved under.</param>
    /// <param name="shape">The model's architecture; its channels, height and width must match the images.</param>
    /// <param name="count">At most this many images: the first ones of IDX and CIFAR-10 files, a seeded pick from
    /// an image folder, exactly this many for a synthetic set.</param>
    /// <param name="seed">Seed of the folder pick and of the synthetic images.</param>
    /// <returns>The images uint8 [N, C, H, W] named for the report.</returns>
    /// <exception cref="ArgumentException">The spec is empty or names nothing that exists.</exception>
    /// <exception cref="FileNotFoundException">A built-in set's files are missing under the data path.</exception>
    /// <exception cref="InvalidDataException">The images' [C, H, W] differ from the model's, or there are none.
    /// </exception>
    public static NamedImageSet Load(string spec, string dataPath, GlowArchitecture shape, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(dataPath);
        ArgumentNullException.ThrowIfNull(shape);
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new ArgumentException("A DATASET must not be empty. " + Syntax);
        }

        if (count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, "The image count must be at least 1.");
        }

        string name = spec.Trim();
        string key = name.ToLowerInvariant();
        bool builtIn = BuiltInNames.Contains(key);
        var images = SyntheticOutSets.Create(key, count, shape.Channels, shape.Height, shape.Width, seed)
            ?? (builtIn ? ReadBuiltIn(key, dataPath, count, seed) : ReadPath(name, count, seed));
        var named = new NamedImageSet(builtIn || IsSynthetic(key) ? key : name, images);
        try
        {
            CheckShape(named, shape);
            return named;
        }
        catch
        {
            named.Dispose();
            throw;
        }
    }

    private static ImageSet ReadBuiltIn(string name, string dataPath, int count, int seed)
    {
        if (name == "cifar10")
        {
            return ReadCifar10(dataPath, count, seed);
        }

        var folder = Path.Combine(dataPath, name);
        var file = IdxReader.FindFile(folder, IdxTestImages) ?? throw new FileNotFoundException(
            $"Data set '{name}' not found: expected '{Path.Combine(folder, IdxTestImages)}' or the same with .gz "
            + "(set --data-path to the folder that holds it).", Path.Combine(folder, IdxTestImages));
        return IdxReader.ReadImages(file, count);
    }

    private static ImageSet ReadCifar10(string dataPath, int count, int seed)
    {
        var batches = Path.Combine(dataPath, Cifar10Reader.FolderName);
        if (File.Exists(Path.Combine(batches, Cifar10Reader.TestFiles[0])))
        {
            return Cifar10Reader.ReadTest(batches, count);
        }

        var archive = Path.Combine(dataPath, Cifar10Reader.ArchiveName);
        if (File.Exists(archive))
        {
            return Cifar10Reader.ReadTest(archive, count);
        }

        var jpegs = Path.Combine(dataPath, CifarJpegTest);
        if (Directory.Exists(jpegs))
        {
            return ReadFolder(jpegs, count, seed);
        }

        throw new FileNotFoundException(
            $"Data set 'cifar10' not found under '{dataPath}': expected "
            + $"'{Path.Combine(batches, Cifar10Reader.TestFiles[0])}', '{archive}' or the image folder '{jpegs}'.",
            archive);
    }

    private static ImageSet ReadPath(string path, int count, int seed)
    {
        if (Directory.Exists(path))
        {
            return File.Exists(Path.Combine(path, Cifar10Reader.TestFiles[0]))
                ? Cifar10Reader.ReadTest(path, count)
                : ReadFolder(path, count, seed);
        }

        if (!File.Exists(path))
        {
            throw new ArgumentException(
                $"Unknown DATASET '{path}': not a built-in name ({string.Join(", ", BuiltInNames)}), not a "
                + $"synthetic set ({string.Join(", ", SyntheticOutSets.Names)}), and no such file or folder.");
        }

        if (path.EndsWith(".bin", StringComparison.OrdinalIgnoreCase))
        {
            return Cifar10Reader.ReadBatchFile(path, count);
        }

        // Anything else must be IDX; IdxReader refuses other files by their magic number, naming the file.
        return path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase)
            ? Cifar10Reader.ReadTest(path, count)
            : IdxReader.ReadImages(path, count);
    }

    private static ImageSet ReadFolder(string folder, int count, int seed) =>
        // The images keep their own channels and size, so a mismatch is reported against the model below rather
        // than silently converted.
        ImageFolderReader.Read(folder, new ImageFolderOptions { MaxImages = count, Seed = seed });

    private static void CheckShape(NamedImageSet set, GlowArchitecture shape)
    {
        var images = set.Images;
        if (images.Count == 0)
        {
            throw new InvalidDataException($"Data set '{set.Name}'{From(set)} holds no images.");
        }

        if (images.Channels != shape.Channels || images.Height != shape.Height || images.Width != shape.Width)
        {
            throw new InvalidDataException(
                $"Data set '{set.Name}'{From(set)} holds images [{images.Channels}, {images.Height}, "
                + $"{images.Width}] but the model expects [{shape.Channels}, {shape.Height}, {shape.Width}] "
                + "([C, H, W]).");
        }
    }

    private static string From(NamedImageSet set) =>
        set.Images.Source == set.Name ? "" : $" ({set.Images.Source})";
}
