using System.Collections.Concurrent;
using SkiaSharp;
using static TorchSharp.torch;

namespace GlowML.Data;

/// <summary>
/// Reads a folder of png, jpg, bmp or webp images into uint8 [N, C, H, W], decoding with SkiaSharp. Either all
/// images lie in the folder itself (no labels) or each lies under one class subfolder (label = the class's index in
/// the ordinal order of the names, or in <see cref="ImageFolderOptions.ClassNames"/>).
/// </summary>
public static class ImageFolderReader
{
    /// <summary>File extensions read (case-insensitive); other files are ignored.</summary>
    public static IReadOnlyList<string> Extensions { get; } = [".png", ".jpg", ".jpeg", ".bmp", ".webp"];

    /// <summary>The class subfolders of <paramref name="folder"/> that hold images, in ordinal order.</summary>
    public static IReadOnlyList<string> ClassNames(string folder) =>
        Directory.GetDirectories(folder).Where(d => ImagesUnder(d, SearchOption.AllDirectories).Any())
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();

    /// <summary>Decodes the folder's images (in parallel) into one set; see <see cref="ImageFolderOptions"/>.
    /// Unreadable files throw a <see cref="DataFileException"/> naming the file unless SkipUnreadable.</summary>
    public static ImageSet Read(string folder, ImageFolderOptions? options = null, Action<string>? log = null)
    {
        options ??= new ImageFolderOptions();
        Check(options);
        var (files, labels) = List(folder, options);

        // The first decodable image fixes the channel count and size when the options leave them open.
        var reference = FirstDecodable(files, options, log);
        int channels = options.Channels ?? (reference.Image.Grey ? 1 : 3);
        int height = options.Height ?? reference.Image.Height;
        int width = options.Width ?? reference.Image.Width;
        var target = new Target(channels, height, width, options, reference.Path);

        var planes = new byte[files.Count][];
        var unreadable = new ConcurrentDictionary<int, DataFileException>();
        var failures = new ConcurrentDictionary<int, DataFileException>();
        Parallel.For(0, files.Count, i =>
        {
            DecodedImage image;
            try
            {
                image = Decode(files[i]);
            }
            catch (DataFileException e)
            {
                unreadable[i] = e;
                return;
            }

            try
            {
                planes[i] = target.ToPlanes(files[i], image);
            }
            catch (DataFileException e)
            {
                failures[i] = e;
            }
        });

        var kept = new List<int>();
        for (int i = 0; i < files.Count; i++)
        {
            // The lowest index fails, so the message does not depend on thread timing.
            if (unreadable.TryGetValue(i, out var broken))
            {
                if (!options.SkipUnreadable)
                {
                    throw broken;
                }

                log?.Invoke($"skipped unreadable image: {broken.Message}");
            }
            else if (failures.TryGetValue(i, out var failure))
            {
                throw failure;
            }
            else
            {
                kept.Add(i);
            }
        }

        using var scope = NewDisposeScope();
        long imageBytes = (long)channels * height * width;
        var pixels = empty(new long[] { kept.Count, channels, height, width }, ScalarType.Byte);
        using (var accessor = pixels.data<byte>())
        {
            for (int k = 0; k < kept.Count; k++)
            {
                accessor.CopyFrom(planes[kept[k]], 0, k * imageBytes);
            }
        }

        var keptLabels = labels is null ? null : kept.Select(i => labels[i]).ToArray();
        return new ImageSet(pixels.MoveToOuterDisposeScope(), keptLabels, folder);
    }

    private static void Check(ImageFolderOptions options)
    {
        if (options.Channels is not (null or 1 or 3))
        {
            throw new ArgumentException($"Channels must be 1 or 3, got {options.Channels}.", nameof(options));
        }

        if (options.Height is null != options.Width is null || options.Height <= 0 || options.Width <= 0)
        {
            throw new ArgumentException(
                $"Height and Width must both be positive or both unset, got {options.Height} x {options.Width}.",
                nameof(options));
        }

        if (options.Resize != ResizeMode.None && options.Height is null)
        {
            throw new ArgumentException($"Resize {options.Resize} needs Height and Width.", nameof(options));
        }
    }

    private static IEnumerable<string> ImagesUnder(string folder, SearchOption search) =>
        Directory.EnumerateFiles(folder, "*", search)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase));

    private static (List<string> Files, long[]? Labels) List(string folder, ImageFolderOptions options)
    {
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Image folder '{folder}' does not exist.");
        }

        var loose = ImagesUnder(folder, SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal).ToList();
        var classes = ClassNames(folder);
        var files = new List<string>();
        List<long>? labels = null;
        if (classes.Count == 0)
        {
            files = loose;
        }
        else if (loose.Count > 0)
        {
            throw new InvalidDataException(
                $"Image folder '{folder}' mixes loose images ('{Path.GetFileName(loose[0])}' and {loose.Count - 1} " +
                $"more) with class subfolders ({string.Join(", ", classes)}); use one layout.");
        }
        else
        {
            var names = options.ClassNames ?? classes;
            labels = [];
            foreach (var name in classes)
            {
                int label = names.ToList().IndexOf(name);
                if (label < 0)
                {
                    throw new InvalidDataException(
                        $"Image folder '{folder}' has class '{name}', which is not among the expected classes " +
                        $"({string.Join(", ", names)}).");
                }

                var inClass = ImagesUnder(Path.Combine(folder, name), SearchOption.AllDirectories)
                    .Order(StringComparer.Ordinal).ToList();
                files.AddRange(inClass);
                labels.AddRange(Enumerable.Repeat((long)label, inClass.Count));
            }
        }

        if (files.Count == 0)
        {
            throw new InvalidDataException(
                $"Image folder '{folder}' holds no images ({string.Join(", ", Extensions)}), neither directly nor in " +
                "class subfolders.");
        }

        if (options.MaxImages is { } max && max < files.Count)
        {
            var random = new Random(options.Seed);
            var picked = Enumerable.Range(0, files.Count).OrderBy(_ => random.Next()).Take((int)Math.Max(max, 0))
                .Order().ToList();
            var pickedLabels = labels is null ? null : picked.Select(i => labels[i]).ToArray();
            return (picked.Select(i => files[i]).ToList(), pickedLabels);
        }

        return (files, labels?.ToArray());
    }

    private static (string Path, DecodedImage Image) FirstDecodable(List<string> files, ImageFolderOptions options,
        Action<string>? log)
    {
        foreach (var file in files)
        {
            try
            {
                return (file, Decode(file));
            }
            catch (DataFileException) when (options.SkipUnreadable)
            {
                // Logged with the others when the whole folder is read.
            }
        }

        throw new InvalidDataException($"None of the {files.Count} images could be decoded (first: '{files[0]}').");
    }

    /// <summary>Decodes one file to RGBA (unpremultiplied); a decoder that stops early (truncated or corrupt data)
    /// is an error, never a partly grey image.</summary>
    private static DecodedImage Decode(string path)
    {
        // LIMITATION: EXIF orientation is not applied and alpha is dropped; pixels are used as stored.
        using var codec = SKCodec.Create(path, out var opened);
        if (codec is null)
        {
            throw new DataFileException(path, $"'{path}' is not a decodable image (Skia: {opened}).");
        }

        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var rgba = new byte[info.BytesSize];
        var result = codec.GetPixels(info, rgba);
        if (result != SKCodecResult.Success)
        {
            throw new DataFileException(path,
                $"'{path}' could not be fully decoded (Skia: {result}): the file is truncated or corrupt.");
        }

        return new DecodedImage(rgba, info.Width, info.Height, codec.Info.ColorType == SKColorType.Gray8);
    }

    private sealed record DecodedImage(byte[] Rgba, int Width, int Height, bool Grey);

    /// <summary>The shape every image is brought to, and how.</summary>
    private sealed record Target(int Channels, int Height, int Width, ImageFolderOptions Options, string Reference)
    {
        public byte[] ToPlanes(string path, DecodedImage image)
        {
            if (image.Grey != (Channels == 1) && !Options.ConvertColor)
            {
                throw new DataFileException(path,
                    $"'{path}' is {(image.Grey ? "greyscale" : "colour")} but {Channels} channel" +
                    $"{(Channels == 1 ? " (grey) is" : "s (RGB) are")} configured; set convert_color to convert it.");
            }

            var rgba = Fit(path, image);
            int pixels = Height * Width;
            var planes = new byte[Channels * pixels];
            for (int p = 0; p < pixels; p++)
            {
                byte red = rgba[4 * p], green = rgba[4 * p + 1], blue = rgba[4 * p + 2];
                if (Channels == 1)
                {
                    planes[p] = image.Grey ? red : PixelBuffer.Luma(red, green, blue);
                }
                else
                {
                    planes[p] = red;
                    planes[pixels + p] = green;
                    planes[2 * pixels + p] = blue;
                }
            }

            return planes;
        }

        private byte[] Fit(string path, DecodedImage image)
        {
            if (image.Width == Width && image.Height == Height)
            {
                return image.Rgba;
            }

            switch (Options.Resize)
            {
                case ResizeMode.Resize:
                    return Scale(image);
                case ResizeMode.CenterCrop when image.Width >= Width && image.Height >= Height:
                    return Crop(image);
                case ResizeMode.CenterCrop:
                    throw new DataFileException(path,
                        $"'{path}' is {image.Width}x{image.Height} (width x height), smaller than the " +
                        $"{Width}x{Height} centre crop; use resize instead.");
                default:
                    var expected = Options.Height is null
                        ? $"the size of '{Reference}', the first image"
                        : "the configured size";
                    throw new DataFileException(path,
                        $"'{path}' is {image.Width}x{image.Height} (width x height), but {expected} is " +
                        $"{Width}x{Height}; set resize to resize or center-crop to bring all images to one size.");
            }
        }

        private byte[] Scale(DecodedImage image)
        {
            var source = new SKImageInfo(image.Width, image.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var bitmap = new SKBitmap(source);
            System.Runtime.InteropServices.Marshal.Copy(image.Rgba, 0, bitmap.GetPixels(), image.Rgba.Length);
            var info = new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
            using var scaled = bitmap.Resize(info, new SKSamplingOptions(SKCubicResampler.Mitchell));
            return scaled.Bytes;
        }

        private byte[] Crop(DecodedImage image)
        {
            int left = (image.Width - Width) / 2, top = (image.Height - Height) / 2;
            var rgba = new byte[Width * Height * 4];
            for (int y = 0; y < Height; y++)
            {
                Array.Copy(image.Rgba, ((top + y) * image.Width + left) * 4, rgba, y * Width * 4, Width * 4);
            }

            return rgba;
        }
    }
}
