using GlowML.Ood;
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
    private readonly string[] _outputNames;
    private readonly GlowOnnxOptions _options;
    private readonly IComplexityEstimator? _complexity;
    private readonly float[] _buffer;
    private VBuffer<float> _row;
    private OnnxGlowScores? _scores;
    private int _inBatch;
    private long _position = -1;

    public GlowOnnxCursor(GlowOnnxDataView view, DataViewRowCursor rows, DataViewRowCursor? pixels,
        GlowOnnxTransformer transformer, bool withComplexity)
    {
        _view = view;
        _rows = rows;
        _pixels = pixels;
        _scorer = transformer.Scorer;
        _options = transformer.Options;
        _batchSize = _options.BatchSize;
        _outputNames = _options.OutputColumnNames;
        _inputCount = view.Schema.Count - _outputNames.Length;
        _complexity = withComplexity ? transformer.ComplexityEstimator : null;
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

    public override bool IsColumnActive(DataViewSchema.Column column)
    {
        if (column.Index < _inputCount)
        {
            return _rows.IsColumnActive(_rows.Schema[column.Index]);
        }

        // The complexity columns are computed only when the cursor was asked for one of them.
        string name = _outputNames[column.Index - _inputCount];
        bool complexity = name == _options.ComplexityColumnName || name == _options.OodScoreColumnName;
        return _pixels is not null && (!complexity || _complexity is not null);
    }

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

        var select = Output(_outputNames[column.Index - _inputCount]);
        ValueGetter<float> getter = (ref float value) =>
        {
            var scores = _scores ?? throw new InvalidOperationException("The cursor is not on a row; call MoveNext.");
            value = select(scores)[_inBatch];
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

    /// <summary>Which array of a batch's scores holds the output column <paramref name="name"/>.</summary>
    private Func<OnnxGlowScores, float[]> Output(string name)
    {
        if (name == _options.BitsPerDimColumnName)
        {
            return scores => scores.BitsPerDim;
        }

        if (name == _options.LogLikelihoodColumnName)
        {
            return scores => scores.LogLikelihood;
        }

        var notComputed = new InvalidOperationException(
            $"Column '{name}' was not requested when the cursor was made, so its complexity was not computed.");
        return name == _options.ComplexityColumnName
            ? scores => scores.Complexity ?? throw notComputed
            : scores => scores.OodScore ?? throw notComputed;
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
                    + $"'{_options.InputColumnName}' input has {_row.Length} pixel values; the model "
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
        _scores = _scorer.Score(pixels, count, _complexity);
        _inBatch = 0;
    }
}
