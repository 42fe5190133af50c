namespace NetGen.Data;

/// <summary>Which half of MNIST to load.</summary>
public enum MnistSplit
{
    /// <summary>The 60,000 training samples (<c>train-*</c> files).</summary>
    Train,

    /// <summary>The 10,000 test samples (<c>t10k-*</c> files).</summary>
    Test,
}
