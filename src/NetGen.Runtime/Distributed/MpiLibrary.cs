using System;
using System.Runtime.InteropServices;

namespace NetGen.Distributed;

/// <summary>
/// Picks the MPI library a process binds to: the one whose launcher started it (Open MPI's <c>mpirun</c> sets
/// <c>OMPI_COMM_WORLD_SIZE</c>, MPICH's Hydra <c>PMI_SIZE</c>), or the one <see cref="Variable"/> names, or for a
/// process started alone the first installed of MPICH and Open MPI. Following the launcher matters where both
/// are installed: a rank bound to the other library would not find its job and train alone as rank 0 of 1.
/// </summary>
internal static class MpiLibrary
{
    /// <summary>The environment variable that overrides the choice: <c>mpich</c> or <c>openmpi</c>.</summary>
    public const string Variable = "NETGEN_MPI";

    private const string Mpich = "mpich";
    private const string OpenMpi = "openmpi";

    /// <summary>Loads the chosen library and returns its binding.</summary>
    /// <exception cref="DistributedException"><see cref="Variable"/> names no known MPI, or the chosen library is not installed.</exception>
    public static IMpiBinding Load()
    {
        var (choice, reason) = Choose();
        if (choice is null)
        {
            foreach (var candidate in new[] { Mpich, OpenMpi })
            {
                if (TryLoad(candidate) is { } binding)
                {
                    return binding;
                }
            }

            throw new DistributedException(0, $"MPI is not available: neither {MpichNative.Library} (MPICH) nor {OpenMpiNative.Library} (Open MPI) could be loaded; install one (sudo apt-get install mpich, or openmpi-bin) and start the processes with its launcher (mpiexec.mpich -np N, or mpirun -np N).");
        }

        return TryLoad(choice) ?? throw new DistributedException(0, choice == Mpich
            ? $"MPI is not available: '{MpichNative.Library}' (MPICH, chosen because {reason}) could not be loaded; install it (sudo apt-get install mpich) and start the processes with mpiexec.mpich -np N."
            : $"MPI is not available: '{OpenMpiNative.Library}' (Open MPI, chosen because {reason}) could not be loaded; install it (sudo apt-get install openmpi-bin) and start the processes with mpirun -np N.");
    }

    /// <summary>The library to use and why, or (null, null) to take the first installed.</summary>
    private static (string? Choice, string? Reason) Choose()
    {
        var named = Environment.GetEnvironmentVariable(Variable);
        if (!string.IsNullOrEmpty(named))
        {
            return named.ToLowerInvariant() is Mpich or OpenMpi
                ? (named.ToLowerInvariant(), $"{Variable}={named}")
                : throw new DistributedException(0, $"{Variable} is '{named}'; it names the MPI library to bind: '{Mpich}' or '{OpenMpi}'.");
        }

        if (Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null)
        {
            return (OpenMpi, "Open MPI's mpirun started this process (OMPI_COMM_WORLD_SIZE is set)");
        }

        return Environment.GetEnvironmentVariable("PMI_SIZE") is not null
            ? (Mpich, "MPICH's mpiexec started this process (PMI_SIZE is set)")
            : (null, null);
    }

    private static IMpiBinding? TryLoad(string choice)
    {
        var name = choice == Mpich ? MpichNative.Library : OpenMpiNative.Library;
        if (!NativeLibrary.TryLoad(name, typeof(MpiLibrary).Assembly, null, out var handle))
        {
            return null;
        }

        // Kept loaded: Open MPI's handles are addresses inside it.
        return choice == Mpich ? new MpichBinding() : new OpenMpiBinding(handle);
    }
}
