using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Onnx;

/// <summary>Row cursor of <see cref="GlowOnnxDataView"/>: scores a batch whenever it moves past the last one.
/// </summary>
internal sealed class GlowOnnxCursor : DataViewRowCursor
{
    private readonly GlowOnnxDataView _view;
    private readonly DataViewRowCursor _rows;
    private readonly DataViewRowCursor? _pixels;
    private readonly ValueGetter<VBuffer<float>>? _pixelGetter;
    private readonly OnnxGlowScorer _scorer;
    private readonly int _batchSize;
    private readonly int _inputCount;
    private readonly int _bitsPerDimIndex;
    private readonly float[] _buffer;
    private VBuffer<float> _row;
    private OnnxGlowScores? _scores;
    private int _inBatch;
    private long _position = -1;

    public GlowOnnxCursor(GlowOnnxDataView view, DataViewRowCursor rows, DataViewRowCursor? pixels,
        GlowOnnxTransformer transformer)
    {
        _view = view;
        _rows = rows;
        _pixels = pixels;
        _scorer = transformer.Scorer;
        _batchSize = transformer.Options.BatchSize;
        _inputCount = view.Schema.Count - 2;
        _bitsPerDimIndex = _inputCount;
        _buffer = pixels is null ? Array.Empty<float>() : new float[_batchSize * _scorer.Dimensions];
        if (pixels is not null)
        {
            _pixelGetter = pixels.GetGetter<VBuffer<float>>(pixels.Schema[transformer.Options.InputColumnName]);
        }
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => _rows.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _rows.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index < _inputCount ? _rows.IsColumnActive(_rows.Schema[column.Index]) : _pixels is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount)
        {
            return _rows.GetGetter<TValue>(_rows.Schema[column.Index]);
        }

        if (_pixels is null)
        {
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
        }

        if (typeof(TValue) != typeof(float))
        {
            throw new InvalidOperationException(
                $"Column '{column.Name}' holds Single values; a getter of {typeof(TValue).Name} was asked for.");
        }

        bool bitsPerDim = column.Index == _bitsPerDimIndex;
        ValueGetter<float> getter = (ref float value) =>
        {
            var scores = _scores ?? throw new InvalidOperationException("The cursor is not on a row; call MoveNext.");
            value = bitsPerDim ? scores.BitsPerDim[_inBatch] : scores.LogLikelihood[_inBatch];
        };
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    public override bool MoveNext()
    {
        if (!_rows.MoveNext())
        {
            return false;
        }

        _position++;
        if (_pixels is not null)
        {
            _inBatch++;
            if (_scores is null || _inBatch >= _scores.Count)
            {
                ScoreNextBatch();
            }
        }

        return true;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _rows.Dispose();
            _pixels?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void ScoreNextBatch()
    {
        int dimensions = _scorer.Dimensions;
        int count = 0;
        while (count < _batchSize && _pixels!.MoveNext())
        {
            _pixelGetter!(ref _row);
            if (_row.Length != dimensions)
            {
                throw new InvalidOperationException($"Row {_pixels.Position} of column "
                    + $"'{_view.Schema[_bitsPerDimIndex].Name}' input has {_row.Length} pixel values; the model "
                    + $"'{_scorer.ScorePath}' expects {_scorer.Channels}x{_scorer.Height}x{_scorer.Width} = "
                    + $"{dimensions}.");
            }

            var target = _buffer.AsSpan(count * dimensions, dimensions);
            if (_row.IsDense)
            {
                _row.GetValues().CopyTo(target);
            }
            else
            {
                int i = 0;
                foreach (var value in _row.DenseValues())
                {
                    target[i++] = value;
                }
            }

            count++;
        }

        if (count == 0)
        {
            throw new InvalidOperationException("The input gave fewer pixel rows than rows: its two cursors disagree.");
        }

        var pixels = count == _batchSize ? _buffer : _buffer.AsSpan(0, count * dimensions).ToArray();
        _scores = _scorer.Score(pixels, count);
        _inBatch = 0;
    }
}
