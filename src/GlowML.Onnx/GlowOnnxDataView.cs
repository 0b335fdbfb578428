using Microsoft.ML;
using Microsoft.ML.Data;

namespace GlowML.Onnx;

/// <summary>
/// The output of <see cref="GlowOnnxTransformer"/>. A cursor reads the pixel column ahead through a second cursor
/// over the same input, one batch at a time, while the first serves the passed-through columns row by row; both
/// walk the input in the same (unshuffled) order, so the scores line up with the rows.
/// </summary>
internal sealed class GlowOnnxDataView : IDataView
{
    private readonly GlowOnnxTransformer _transformer;
    private readonly IDataView _input;

    public GlowOnnxDataView(GlowOnnxTransformer transformer, IDataView input, DataViewSchema schema)
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
        int inputCount = _input.Schema.Count;
        var needed = columnsNeeded.Select(c => c.Index).ToHashSet();
        bool scores = needed.Any(i => i >= inputCount);
        var passed = needed.Where(i => i < inputCount).Select(i => _input.Schema[i]);
        var rows = _input.GetRowCursor(passed);
        DataViewRowCursor? pixels = null;
        if (scores)
        {
            pixels = _input.GetRowCursor(new[] { _input.Schema[_transformer.Options.InputColumnName] });
        }

        // Compression is the costly part of the complexity columns; a cursor that reads neither skips it.
        var options = _transformer.Options;
        bool complexity = new[] { options.ComplexityColumnName, options.OodScoreColumnName }
            .Any(name => name is not null && needed.Contains(Schema[name].Index));
        return new GlowOnnxCursor(this, rows, pixels, _transformer, complexity);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n,
        Random? rand = null) => new[] { GetRowCursor(columnsNeeded, rand) };
}
