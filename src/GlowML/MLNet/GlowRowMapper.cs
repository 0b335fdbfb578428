using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.MLNet;

/// <summary>
/// Row-at-a-time scoring for <c>PredictionEngine</c>: the Glow columns of a row are computed once per row position
/// and cached, since ML.NET may call a getter several times for one row.
/// </summary>
internal sealed class GlowRowMapper : IRowToRowMapper
{
    private readonly GlowTransformer _transformer;

    public GlowRowMapper(GlowTransformer transformer, DataViewSchema input, DataViewSchema output)
    {
        _transformer = transformer;
        InputSchema = input;
        OutputSchema = output;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = dependingColumns.Where(c => c.Index < InputSchema.Count).Select(c => InputSchema[c.Index]).ToList();
        if (dependingColumns.Any(c => c.Index >= InputSchema.Count))
        {
            needed.Add(InputSchema[_transformer.Columns.Input]);
        }

        return needed.Distinct();
    }

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns) =>
        new Row(this, input, activeColumns.Select(c => c.Index).ToHashSet());

    private sealed class Row : DataViewRow
    {
        private readonly GlowRowMapper _mapper;
        private readonly DataViewRow _input;
        private readonly HashSet<int> _active;
        private readonly PixelReader _pixels;
        private readonly bool _withComplexity;
        private long _scoredPosition = -1;
        private GlowScores? _scores;

        public Row(GlowRowMapper mapper, DataViewRow input, HashSet<int> active)
        {
            _mapper = mapper;
            _input = input;
            _active = active;
            var transformer = mapper._transformer;
            _pixels = new PixelReader(input, input.Schema[transformer.Columns.Input], transformer.Model.Architecture,
                transformer.Range);
            var columns = mapper._transformer.Columns;
            // A prediction class without Complexity or OodScore leaves them inactive and the compression undone.
            _withComplexity = IsActive(columns.Complexity) || IsActive(columns.OodScore);

            bool IsActive(string? name) => name is not null && active.Contains(mapper.OutputSchema[name].Index);
        }

        public override DataViewSchema Schema => _mapper.OutputSchema;

        public override long Position => _input.Position;

        public override long Batch => _input.Batch;

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (column.Index < _mapper.InputSchema.Count)
            {
                return _input.GetGetter<TValue>(_input.Schema[column.Index]);
            }

            Delegate getter;
            if (column.Name == _mapper._transformer.Columns.Latent)
            {
                getter = (ValueGetter<VBuffer<float>>)((ref VBuffer<float> v) =>
                {
                    var latent = Current().Latent!;
                    var editor = VBufferEditor.Create(ref v, latent.Length);
                    latent.CopyTo(editor.Values);
                    v = editor.Commit();
                });
            }
            else
            {
                var select = GlowSchema.ScalarOutput(_mapper._transformer.Columns, column.Name);
                getter = (ValueGetter<float>)((ref float v) => v = select(Current())[0]);
            }

            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}, not {typeof(TValue).Name}.");
        }

        private GlowScores Current()
        {
            if (_scores is null || _scoredPosition != _input.Position)
            {
                var pixels = new float[_mapper._transformer.Model.Dimensions];
                _pixels.Read(pixels);
                var transformer = _mapper._transformer;
                _scores = transformer.Scorer.Score(pixels, 1, transformer.Columns.Latent is not null,
                    _withComplexity ? transformer.ComplexityEstimator : null);
                _scoredPosition = _input.Position;
            }

            return _scores;
        }
    }
}
