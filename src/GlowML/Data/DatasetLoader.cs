using GlowML.Model;

namespace GlowML.Data;

/// <summary>
/// Loads the training and validation images an experiment's <see cref="DataOptions"/> describe, with paths
/// relative to the data path (<c>--data-path</c>). Validation is the official test split where the data set has
/// one, else a seeded holdout of <c>validation_fraction</c>. Missing CIFAR-10 files are downloaded (MD5-checked)
/// when allowed; otherwise the error lists the exact files expected and where.
/// </summary>
public static class DatasetLoader
{
    private const string MnistTrainImages = "train-images-idx3-ubyte";
    private const string MnistTestImages = "t10k-images-idx3-ubyte";

    /// <summary>Loads the splits; <paramref name="log"/> receives one line per notable step (a download, a holdout
    /// split, labels dropped as implausible, a skipped image).</summary>
    public static DataSplits Load(DataOptions options, string dataPath, Action<string>? log = null) =>
        Load(options, dataPath, log, downloader: null);

    /// <summary>As <see cref="Load(DataOptions, string, Action{string})"/>, with the downloader used for missing
    /// CIFAR-10 files (another address or checksum, or a configured HttpClient).</summary>
    public static DataSplits Load(DataOptions options, string dataPath, Action<string>? log,
        Cifar10Downloader? downloader)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(dataPath);
        options.Validate();
        var root = Path.Combine(dataPath, options.ResolvedPath);
        var (train, test) = options.Dataset switch
        {
            DatasetKind.Cifar10 => LoadCifar10(options, dataPath, root, log, downloader),
            DatasetKind.ImageFolder => LoadFolders(options, root, log),
            _ => LoadIdx(options, dataPath, root, log),
        };

        try
        {
            if (options.Dataset != DatasetKind.ImageFolder)
            {
                train = ImageSetTransforms.Conform(train, options);
                test = test is null ? null : ImageSetTransforms.Conform(test, options);
            }

            if (test is null)
            {
                log?.Invoke($"no test split in '{root}': holding out {options.ValidationFraction:P0} of " +
                            $"{train.Count} images (seed {options.Seed}) for validation");
                (train, test) = ImageSetTransforms.Holdout(train, options.ValidationFraction, options.Seed);
            }

            train = ImageSetTransforms.Pick(train, options.MaxTrainImages, options.Seed, stream: 2);
            test = ImageSetTransforms.Pick(test, options.MaxValidationImages, options.Seed, stream: 3);
            return new DataSplits(train, test);
        }
        catch
        {
            train.Dispose();
            test?.Dispose();
            throw;
        }
    }

    private static (ImageSet Train, ImageSet? Test) LoadCifar10(DataOptions options, string dataPath, string root,
        Action<string>? log, Cifar10Downloader? downloader)
    {
        var source = FindCifar10(dataPath, root);
        if (source is null && options.Download)
        {
            downloader ??= new Cifar10Downloader();
            try
            {
                source = downloader.DownloadAsync(dataPath, log).GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                throw MissingCifar10(dataPath, root, $"Downloading {downloader.Address} failed: {e.Message}", e);
            }
        }

        if (source is null)
        {
            throw MissingCifar10(dataPath, root,
                $"Downloading is off (data.download is false); the archive is at " +
                $"{new Uri(Cifar10Downloader.OfficialBaseAddress, Cifar10Reader.ArchiveName)} " +
                $"(MD5 {Cifar10Downloader.OfficialMd5}).", null);
        }

        log?.Invoke($"reading CIFAR-10 from {source}");
        var train = Cifar10Reader.ReadTrain(source);
        try
        {
            return (train, Cifar10Reader.ReadTest(source));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>The folder of .bin files, else an archive: the path itself, or cifar-10-binary.tar.gz in the data
    /// path or in the folder.</summary>
    private static string? FindCifar10(string dataPath, string root)
    {
        if (Cifar10Reader.IsPresent(root))
        {
            return root;
        }

        var archives = new[] { Path.Combine(dataPath, Cifar10Reader.ArchiveName),
            Path.Combine(root, Cifar10Reader.ArchiveName) };
        return archives.FirstOrDefault(File.Exists);
    }

    private static FileNotFoundException MissingCifar10(string dataPath, string root, string why, Exception? inner)
    {
        var names = Cifar10Reader.TrainFiles.Concat(Cifar10Reader.TestFiles).ToList();
        var missing = Directory.Exists(root) ? names.Where(n => !File.Exists(Path.Combine(root, n))).ToList() : names;
        var archive = Path.Combine(dataPath, Cifar10Reader.ArchiveName);
        return new FileNotFoundException(
            $"CIFAR-10 was not found. Expected either the folder '{root}' with {string.Join(", ", names)} " +
            $"(missing: {string.Join(", ", missing)}), or the archive '{archive}'. " +
            why, Path.Combine(root, names[0]), inner);
    }

    private static (ImageSet Train, ImageSet? Test) LoadIdx(DataOptions options, string dataPath, string root,
        Action<string>? log)
    {
        bool known = options.Dataset != DatasetKind.Idx;
        var trainName = options.TrainImages ?? MnistTrainImages;
        var testName = options.TestImages ?? (known ? MnistTestImages : null);
        var trainPath = IdxReader.FindFile(root, trainName);
        if (trainPath is null)
        {
            var hint = known && IdxReader.FindFile(root, MnistTestImages) is not null
                ? $" Only the test file is there: to train on it, use dataset idx with train_images {MnistTestImages}."
                : $" Pass --data-path with the folder that holds "
                  + $"{(options.ResolvedPath.Length > 0 ? options.ResolvedPath + "/" : trainName)}, or set data.path "
                  + "in config.json.";
            var folder = options.Path is null ? $"the default folder of {GlowJson.Name(options.Dataset)}"
                : $"data.path '{options.Path}'";
            throw new FileNotFoundException(
                $"{GlowJson.Name(options.Dataset)} training images not found in '{Path.GetFullPath(root)}' ({folder} " +
                $"under the data path '{dataPath}'): expected {trainName} or {trainName}.gz there.{hint}",
                Path.Combine(root, trainName));
        }

        var train = ReadIdx(trainPath, log);
        var testPath = testName is null ? null : IdxReader.FindFile(root, testName);
        if (testName is not null && testPath is null && options.TestImages is not null)
        {
            train.Dispose();
            throw new FileNotFoundException(
                $"data.test_images '{Path.Combine(root, testName)}' (or .gz) does not exist.", testName);
        }

        try
        {
            return (train, testPath is null ? null : ReadIdx(testPath, log));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Reads IDX images with their labels when a matching idx1 file exists and its labels are plausible;
    /// labels are optional, so implausible ones are dropped with a log line rather than passed on.</summary>
    private static ImageSet ReadIdx(string imagesPath, Action<string>? log)
    {
        var images = IdxReader.ReadImages(imagesPath);
        var name = Path.GetFileName(imagesPath);
        if (!name.Contains("images-idx3", StringComparison.Ordinal))
        {
            return images;
        }

        var labelsPath = IdxReader.FindFile(Path.GetDirectoryName(imagesPath)!,
            name.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal));
        if (labelsPath is null)
        {
            return images;
        }

        using (images)
        {
            var labels = IdxReader.ReadLabels(labelsPath);
            if (labels.Length != images.Count)
            {
                throw new DataFileException(labelsPath,
                    $"'{labelsPath}' holds {labels.Length} labels but '{imagesPath}' holds {images.Count} images.");
            }

            var suspicion = LabelAudit.Suspicion(labels);
            if (suspicion is not null)
            {
                log?.Invoke($"labels in '{labelsPath}' dropped: {suspicion}; they do not look like annotations");
                labels = null;
            }

            return new ImageSet(images.Pixels.alias(), labels, imagesPath);
        }
    }

    private static (ImageSet Train, ImageSet? Test) LoadFolders(DataOptions options, string root, Action<string>? log)
    {
        var size = options.TargetSize;
        var folderOptions = new ImageFolderOptions
        {
            Channels = options.Channels,
            Height = size?.Height,
            Width = size?.Width,
            Resize = options.Resize,
            ConvertColor = options.ConvertColor,
            SkipUnreadable = options.SkipUnreadable,
            Seed = options.Seed,
        };

        var trainFolder = Path.Combine(root, options.TrainFolder!);
        // Capping before decoding keeps quick runs quick; with a holdout both parts come from this one pick.
        long? trainCap = options.TestFolder is not null ? options.MaxTrainImages
            : options.MaxTrainImages + options.MaxValidationImages;
        var train = ImageFolderReader.Read(trainFolder, folderOptions with { MaxImages = trainCap }, log);
        if (options.TestFolder is null)
        {
            return (train, null);
        }

        try
        {
            var classes = train.Labels is null ? null : ImageFolderReader.ClassNames(trainFolder);
            var test = ImageFolderReader.Read(Path.Combine(root, options.TestFolder),
                folderOptions with
                {
                    MaxImages = options.MaxValidationImages,
                    ClassNames = classes,
                    Channels = train.Channels,
                    Height = train.Height,
                    Width = train.Width,
                }, log);
            return (train, test);
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }
}
