namespace GlowML.Data;

/// <summary>The data sets <see cref="DatasetLoader"/> knows (config <c>data.dataset</c>, kebab-case in JSON).</summary>
public enum DatasetKind
{
    /// <summary>CIFAR-10 binary batches or their tar.gz; official 50,000 / 10,000 split; downloadable.</summary>
    Cifar10,

    /// <summary>MNIST IDX files (plain or gzip); official 60,000 / 10,000 split.</summary>
    Mnist,

    /// <summary>Fashion-MNIST IDX files (plain or gzip); official 60,000 / 10,000 split.</summary>
    FashionMnist,

    /// <summary>Any IDX image files named by <c>train_images</c> (and optionally <c>test_images</c>).</summary>
    Idx,

    /// <summary>Folders of png, jpg, bmp or webp images, optionally one subfolder per class.</summary>
    ImageFolder,
}
