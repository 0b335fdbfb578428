using System.Reflection;

namespace GlowML.Model;

/// <summary>The GlowML library version, recorded in releases and ONNX exports.</summary>
public static class GlowVersion
{
    /// <summary>The informational version of this GlowML assembly, e.g. "0.1.0".</summary>
    public static string Current { get; } =
        typeof(GlowVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            .Split('+')[0] ?? "0.0.0";
}
