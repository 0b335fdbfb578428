using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>
/// The lazy output of <see cref="GlowTransformer.Transform"/>: passes the input columns through and computes the
/// Glow columns in batches of <see cref="GlowTransformer.BatchSize"/> rows, read ahead by a second input cursor
/// over the same rows (input views without shuffling yield rows in one order).
/// </summary>
internal sealed class GlowDataView : IDataView
{
    private readonly GlowTransformer _transformer;
    private readonly IDataView _input;

    public GlowDataView(GlowTransformer transformer, IDataView input, DataViewSchema schema)
    {
        _transformer = transformer;
        _input = input;
        Schema = schema;
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        int inputCount = _input.Schema.Count;
        bool scores = needed.Any(c => c.Index >= inputCount);
        var inputColumns = needed.Where(c => c.Index < inputCount).Select(c => _input.Schema[c.Index]).ToArray();
        var main = _input.GetRowCursor(inputColumns);
        var ahead = scores ? _input.GetRowCursor(new[] { _input.Schema[_transformer.Columns.Input] }) : null;
        return new Cursor(this, main, ahead, needed.Select(c => c.Index).ToHashSet());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n,
        Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly GlowDataView _view;
        private readonly DataViewRowCursor _main;
        private readonly DataViewRowCursor? _ahead;
        private readonly HashSet<int> _active;
        private readonly PixelReader? _pixels;
        private readonly bool _withLatent;
        private readonly bool _withComplexity;
        private GlowScores? _batch;
        private long _batchStart;
        private int _batchCount;
        private long _position = -1;

        public Cursor(GlowDataView view, DataViewRowCursor main, DataViewRowCursor? ahead, HashSet<int> active)
        {
            _view = view;
            _main = main;
            _ahead = ahead;
            _active = active;
            var transformer = view._transformer;
            _pixels = ahead is null ? null : new PixelReader(ahead, ahead.Schema[transformer.Columns.Input],
                transformer.Model.Architecture, transformer.Range);
            var columns = view._transformer.Columns;
            _withLatent = IsActive(columns.Latent);
            // Compression is the costly part of these columns; a cursor that reads neither skips it.
            _withComplexity = IsActive(columns.Complexity) || IsActive(columns.OodScore);

            bool IsActive(string? name) => name is not null && active.Contains(view.Schema[name].Index);
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (!_main.MoveNext())
            {
                return false;
            }

            _position++;
            if (_ahead is not null && _position >= _batchStart + _batchCount)
            {
                ReadBatch();
            }

            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            int inputCount = _view._input.Schema.Count;
            if (column.Index < inputCount)
            {
                return _main.GetGetter<TValue>(_main.Schema[column.Index]);
            }

            Delegate getter;
            if (column.Name == _view._transformer.Columns.Latent)
            {
                getter = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) => CopyLatent(ref v));
            }
            else
            {
                var select = GlowSchema.ScalarOutput(_view._transformer.Columns, column.Name);
                getter = (ValueGetter<float>)((ref float v) => v = select(_batch!)[Row]);
            }

            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private int Row => (int)(_position - _batchStart);

        private void CopyLatent(ref VBuffer<float> value)
        {
            int d = _view._transformer.Model.Dimensions;
            var editor = VBufferEditor.Create(ref value, d);
            _batch!.Latent.AsSpan(Row * d, d).CopyTo(editor.Values);
            value = editor.Commit();
        }

        private void ReadBatch()
        {
            int size = _view._transformer.BatchSize;
            int d = _view._transformer.Model.Dimensions;
            var pixels = new float[size * d];
            int count = 0;
            while (count < size && _ahead!.MoveNext())
            {
                _pixels!.Read(pixels.AsSpan(count * d, d));
                count++;
            }

            _batchStart = _position;
            _batchCount = count;
            _batch = _view._transformer.Scorer.Score(pixels.AsSpan(0, count * d), count, _withLatent,
                _withComplexity ? _view._transformer.ComplexityEstimator : null);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _main.Dispose();
                _ahead?.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
