using System.Runtime.InteropServices;

namespace NetGen.Distributed;

/// <summary>
/// The MPI calls of <see cref="MpichNative"/>, bound to Open MPI's ABI (libmpi.so.40: Open MPI 3.x-5.x), where
/// communicators, datatypes, operations, error handlers and requests are pointers: the predefined ones are the
/// addresses of exported objects (<c>ompi_mpi_comm_world</c>, ...), which <see cref="OpenMpiBinding"/> looks up.
/// </summary>
internal static unsafe partial class OpenMpiNative
{
    public const string Library = "libmpi.so.40";

    /// <summary>MPI_IN_PLACE in Open MPI (MPICH's is -1).</summary>
    public static readonly void* InPlace = (void*)1;

    /// <summary>MPI_STATUS_IGNORE in Open MPI: a null status.</summary>
    public const nint StatusIgnore = 0;

    [LibraryImport(Library)]
    public static partial int MPI_Init_thread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(Library)]
    public static partial int MPI_Finalize();

    [LibraryImport(Library)]
    public static partial int MPI_Abort(nint comm, int errorCode);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_rank(nint comm, out int rank);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_size(nint comm, out int size);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_set_errhandler(nint comm, nint errhandler);

    [LibraryImport(Library)]
    public static partial int MPI_Ibcast(void* buffer, int count, nint datatype, int root, nint comm, out nint request);

    [LibraryImport(Library)]
    public static partial int MPI_Iallreduce(void* send, void* receive, int count, nint datatype, nint op, nint comm, out nint request);

    [LibraryImport(Library)]
    public static partial int MPI_Isend(void* buffer, int count, nint datatype, int destination, int tag, nint comm, out nint request);

    [LibraryImport(Library)]
    public static partial int MPI_Irecv(void* buffer, int count, nint datatype, int source, int tag, nint comm, out nint request);

    [LibraryImport(Library)]
    public static partial int MPI_Test(ref nint request, out int flag, nint status);

    [LibraryImport(Library)]
    public static partial int MPI_Error_string(int errorCode, byte* text, out int length);
}
