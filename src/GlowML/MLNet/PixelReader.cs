using GlowML.Data;
using GlowML.Model;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Image;

namespace GlowML.MLNet;

/// <summary>
/// Reads one row's pixels as planar floats [C, H, W] in the transformer's range, from either kind of input column:
/// a float vector (ExtractPixels) or an image (LoadImages -> ResizeImages), whose bytes k become k / 255 (or k).
/// </summary>
internal sealed class PixelReader
{
    private readonly ValueGetter<VBuffer<float>>? _vector;
    private readonly ValueGetter<MLImage>? _image;
    private readonly DataViewRow _row;
    private readonly GlowArchitecture _architecture;
    private readonly float _byteScale;
    private readonly string _column;
    private VBuffer<float> _buffer;
    private MLImage? _current;

    public PixelReader(DataViewRow row, DataViewSchema.Column column, GlowArchitecture architecture, PixelRange range)
    {
        _row = row;
        _architecture = architecture;
        _byteScale = range == PixelRange.Bytes ? 1f : 1f / 255f;
        _column = column.Name;
        if (column.Type is ImageDataViewType)
        {
            _image = row.GetGetter<MLImage>(column);
        }
        else
        {
            _vector = row.GetGetter<VBuffer<float>>(column);
        }
    }

    /// <summary>Writes the current row's C*H*W values into <paramref name="destination"/>.</summary>
    public void Read(Span<float> destination)
    {
        if (_vector is not null)
        {
            _vector(ref _buffer);
            VectorValues.CopyDense(_buffer, destination);
            return;
        }

        _image!(ref _current!);
        var a = _architecture;
        var bytes = DataViewImages.PlanarBytes(_current, a.Channels, a.Height, a.Width, _column, _row.Position);
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[i] = bytes[i] * _byteScale;
        }
    }
}
