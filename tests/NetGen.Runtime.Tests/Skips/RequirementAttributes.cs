using Xunit;
using Xunit.Sdk;

namespace NetGen.Runtime.Tests.Skips;

/// <summary>A fact that needs libturbojpeg.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class TurboJpegFactAttribute : FactAttribute
{
    public TurboJpegFactAttribute() => Skip = MissingRequirement.TurboJpeg;
}

/// <summary>A theory that needs libturbojpeg.</summary>
[XunitTestCaseDiscoverer(SkipReasonTheoryDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class TurboJpegTheoryAttribute : TheoryAttribute
{
    public TurboJpegTheoryAttribute() => Skip = MissingRequirement.TurboJpeg;
}

/// <summary>A fact that needs an OpenCL platform (PoCL in CI).</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class OpenClFactAttribute : FactAttribute
{
    public OpenClFactAttribute() => Skip = MissingRequirement.OpenCl;
}

/// <summary>A fact that needs the MNIST files in ../shared/data.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class MnistFactAttribute : FactAttribute
{
    public MnistFactAttribute() => Skip = MissingRequirement.Mnist;
}

/// <summary>A fact that reads the real dogs-vs-cats archive in ../shared/data with libturbojpeg.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class CatsAndDogsFactAttribute : FactAttribute
{
    public CatsAndDogsFactAttribute() => Skip = MissingRequirement.DogsVsCatsZip ?? MissingRequirement.TurboJpeg;
}

/// <summary>A fact that starts several training processes with MPICH's mpiexec on the real MNIST files.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class MpichFactAttribute : FactAttribute
{
    public MpichFactAttribute() => Skip = MissingRequirement.Mpich ?? MissingRequirement.Mnist;
}

/// <summary>A fact that needs the sequence data (sunspots.csv, fortunes/) in ../shared/data.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class SequencesFactAttribute : FactAttribute
{
    public SequencesFactAttribute() => Skip = MissingRequirement.Sequences;
}

/// <summary>A fact that starts several training processes with Open MPI's mpirun on the real MNIST files.</summary>
[XunitTestCaseDiscoverer(SkipReasonFactDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class OpenMpiFactAttribute : FactAttribute
{
    public OpenMpiFactAttribute() => Skip = MissingRequirement.OpenMpi ?? MissingRequirement.Mnist;
}

/// <summary>A theory that needs an OpenCL platform (PoCL in CI).</summary>
[XunitTestCaseDiscoverer(SkipReasonTheoryDiscoverer.TypeName, SkipReasonFactDiscoverer.AssemblyName)]
public sealed class OpenClTheoryAttribute : TheoryAttribute
{
    public OpenClTheoryAttribute() => Skip = MissingRequirement.OpenCl;
}
