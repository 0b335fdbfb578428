using System.Text.Json.Serialization;
using GlowML.Model;

namespace GlowML.Data;

/// <summary>
/// The experiment config's <c>"data"</c> group: which data set, where it lies (relative to the data path), how its
/// images are normalised, and how validation data is obtained. JSON keys are snake_case, enums kebab-case strings
/// (through <see cref="GlowML.Model.GlowJson.Options"/>).
/// </summary>
public sealed record DataOptions
{
    /// <summary>Which data set. Default cifar10.</summary>
    [JsonPropertyName("dataset")]
    public DatasetKind Dataset { get; init; } = DatasetKind.Cifar10;

    /// <summary>Folder relative to the data path; null uses the data set's default (<see cref="ResolvedPath"/>).
    /// For cifar10 it may also name the .tar.gz archive.</summary>
    [JsonPropertyName("path")]
    public string? Path { get; init; }

    /// <summary>IDX training image file name inside <see cref="Path"/> (".gz" optional). Required for idx; for mnist
    /// and fashion-mnist defaults to train-images-idx3-ubyte.</summary>
    [JsonPropertyName("train_images")]
    public string? TrainImages { get; init; }

    /// <summary>IDX test image file name; for idx, unset means a holdout split. Defaults to t10k-images-idx3-ubyte
    /// for mnist and fashion-mnist.</summary>
    [JsonPropertyName("test_images")]
    public string? TestImages { get; init; }

    /// <summary>Training image folder inside <see cref="Path"/> (image-folder only, required).</summary>
    [JsonPropertyName("train_folder")]
    public string? TrainFolder { get; init; }

    /// <summary>Test image folder inside <see cref="Path"/> (image-folder only); unset means a holdout split.</summary>
    [JsonPropertyName("test_folder")]
    public string? TestFolder { get; init; }

    /// <summary>Square target size; or set <see cref="ImageHeight"/> and <see cref="ImageWidth"/>. Null keeps the
    /// data's own size.</summary>
    [JsonPropertyName("image_size")]
    public int? ImageSize { get; init; }

    /// <summary>Target height (with <see cref="ImageWidth"/>, instead of <see cref="ImageSize"/>).</summary>
    [JsonPropertyName("image_height")]
    public int? ImageHeight { get; init; }

    /// <summary>Target width (with <see cref="ImageHeight"/>).</summary>
    [JsonPropertyName("image_width")]
    public int? ImageWidth { get; init; }

    /// <summary>1 (grey) or 3 (RGB); null keeps the data's own (3 for CIFAR-10, 1 for IDX, the first image's for
    /// folders).</summary>
    [JsonPropertyName("channels")]
    public int? Channels { get; init; }

    /// <summary>How images of another size reach the target size. Default none (a mismatch is an error).</summary>
    [JsonPropertyName("resize")]
    public ResizeMode Resize { get; init; }

    /// <summary>Convert grey to RGB or RGB to grey when the data differ from <see cref="Channels"/>; when false
    /// that is an error. Default false.</summary>
    [JsonPropertyName("convert_color")]
    public bool ConvertColor { get; init; }

    /// <summary>Fraction held out for validation when the data set has no test split, 0..0.5. Default 0.1.</summary>
    [JsonPropertyName("validation_fraction")]
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Seed of the holdout split, of the caps' random picks and of the batch order. Default 0.</summary>
    [JsonPropertyName("seed")]
    public int Seed { get; init; }

    /// <summary>Random horizontal flips while training. Default false.</summary>
    [JsonPropertyName("horizontal_flip")]
    public bool HorizontalFlip { get; init; }

    /// <summary>Image folders: skip (and log) files that cannot be decoded instead of failing. Default false.
    /// </summary>
    [JsonPropertyName("skip_unreadable")]
    public bool SkipUnreadable { get; init; }

    /// <summary>At most this many training images (a seeded random pick), for quick runs. Null: all.</summary>
    [JsonPropertyName("max_train_images")]
    public long? MaxTrainImages { get; init; }

    /// <summary>At most this many validation images (a seeded random pick). Null: all.</summary>
    [JsonPropertyName("max_validation_images")]
    public long? MaxValidationImages { get; init; }

    /// <summary>Download CIFAR-10 (with MD5 check) when its files are missing. Default true.</summary>
    [JsonPropertyName("download")]
    public bool Download { get; init; } = true;

    /// <summary><see cref="Path"/>, or the data set's default folder: cifar-10-batches-bin, mnist, fashion-mnist;
    /// the data path itself for idx and image-folder.</summary>
    [JsonIgnore]
    public string ResolvedPath => Path ?? Dataset switch
    {
        DatasetKind.Cifar10 => Cifar10Reader.FolderName,
        DatasetKind.Mnist => "mnist",
        DatasetKind.FashionMnist => "fashion-mnist",
        _ => "",
    };

    /// <summary>The target (height, width), or null to keep the data's own size.</summary>
    [JsonIgnore]
    public (int Height, int Width)? TargetSize =>
        ImageSize is { } size ? (size, size) : ImageHeight is { } h && ImageWidth is { } w ? (h, w) : null;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field (by its JSON key) that is out of range
    /// or does not fit the data set.</summary>
    public void Validate()
    {
        Require(Enum.IsDefined(Dataset), "dataset", $"unknown data set {(int)Dataset}");
        Require(Enum.IsDefined(Resize), "resize", $"unknown resize mode {(int)Resize}");
        Require(ImageSize is null or > 0, "image_size", $"must be positive, got {ImageSize}");
        Require(ImageHeight is null == ImageWidth is null, "image_height",
            "image_height and image_width must be set together");
        Require(ImageHeight is null or > 0 && ImageWidth is null or > 0, "image_height",
            $"image_height and image_width must be positive, got {ImageHeight} x {ImageWidth}");
        Require(ImageSize is null || ImageHeight is null, "image_size",
            "set image_size or image_height/image_width, not both");
        Require(Resize == ResizeMode.None || TargetSize is not null, "resize",
            $"resize '{GlowJson.Name(Resize)}' needs image_size (or image_height and image_width)");
        Require(Channels is null or 1 or 3, "channels", $"must be 1 or 3, got {Channels}");
        Require(ValidationFraction is >= 0 and <= 0.5, "validation_fraction",
            $"must be in [0, 0.5], got {ValidationFraction}");
        Require(MaxTrainImages is null or > 0, "max_train_images", $"must be positive, got {MaxTrainImages}");
        Require(MaxValidationImages is null or > 0, "max_validation_images",
            $"must be positive, got {MaxValidationImages}");

        bool idx = Dataset is DatasetKind.Mnist or DatasetKind.FashionMnist or DatasetKind.Idx;
        Require(Dataset != DatasetKind.Idx || !string.IsNullOrWhiteSpace(TrainImages), "train_images",
            "is required for dataset idx");
        Require(idx || (TrainImages is null && TestImages is null), "train_images",
            $"train_images and test_images apply to IDX data sets, not {GlowJson.Name(Dataset)}");
        Require(Dataset != DatasetKind.ImageFolder || !string.IsNullOrWhiteSpace(TrainFolder), "train_folder",
            "is required for dataset image-folder");
        Require(Dataset == DatasetKind.ImageFolder || (TrainFolder is null && TestFolder is null), "train_folder",
            $"train_folder and test_folder apply to image-folder, not {GlowJson.Name(Dataset)}");
        Require(Dataset == DatasetKind.ImageFolder || !SkipUnreadable, "skip_unreadable",
            "applies to image folders only");
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"data.{field}: {problem}.", field);
        }
    }
}
