using System.Runtime.InteropServices;
using GlowML.Native;
using Xunit;

namespace GlowML.Tests.Native;

public class TorchNativeTests
{
    [Fact]
    public void AnOldCxxRuntimeIsNamedWithItsFix()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            return;
        }

        using var folder = TestPaths.NewTempFolder();
        var old = Path.Combine(folder.Path, "libstdc++.so.6");
        File.WriteAllBytes(old, "\u007fELF ... GLIBCXX_3.4.29\0GLIBCXX_3.4.30\0 ..."u8.ToArray());
        var message = TorchNative.Explain(new DllNotFoundException("LibTorchSharp"), new[] { folder.Path });
        Assert.Contains(old, message);
        Assert.Contains(TorchNative.RequiredCxxRuntime, message);
        Assert.Contains("install-native-deps.sh", message);

        File.WriteAllBytes(old, "GLIBCXX_3.4.32\0"u8.ToArray());
        var other = TorchNative.Explain(new DllNotFoundException("LibTorchSharp"), new[] { folder.Path });
        Assert.Contains("TorchSharp-cpu", other);
        Assert.True(TorchNative.IsNativeLoadFailure(new TypeInitializationException("torch",
            new DllNotFoundException("LibTorchSharp"))));
        Assert.False(TorchNative.IsNativeLoadFailure(new InvalidOperationException("x")));
    }
}
