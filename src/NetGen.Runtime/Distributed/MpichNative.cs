using System.Runtime.InteropServices;

namespace NetGen.Distributed;

/// <summary>
/// The few MPI calls data-parallel training needs, bound to MPICH's ABI (libmpich.so.12, shared by
/// MPICH 3.x/4.x, Intel MPI and MVAPICH), where handles are 32-bit integers with fixed values.
/// Collectives are the non-blocking forms so a wait can time out (<see cref="MpiCommunicator"/>).
/// </summary>
internal static unsafe partial class MpichNative
{
    public const string Library = "libmpich.so.12";

    // Handle values from MPICH's mpi.h (they are part of its ABI).
    public const int CommWorld = 0x44000000;
    public const int FloatType = 0x4c00040a;
    public const int DoubleType = 0x4c00080b;
    public const int Sum = 0x58000003;
    public const int ErrorsReturn = 0x54000001;
    public const int ThreadFunneled = 1;

    /// <summary>MPI_IN_PLACE: the receive buffer is also the send buffer.</summary>
    public static readonly void* InPlace = (void*)-1;

    [LibraryImport(Library)]
    public static partial int MPI_Init_thread(nint argc, nint argv, int required, out int provided);

    [LibraryImport(Library)]
    public static partial int MPI_Finalize();

    [LibraryImport(Library)]
    public static partial int MPI_Abort(int comm, int errorCode);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_rank(int comm, out int rank);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_size(int comm, out int size);

    [LibraryImport(Library)]
    public static partial int MPI_Comm_set_errhandler(int comm, int errhandler);

    [LibraryImport(Library)]
    public static partial int MPI_Ibcast(void* buffer, int count, int datatype, int root, int comm, out int request);

    [LibraryImport(Library)]
    public static partial int MPI_Iallreduce(void* send, void* receive, int count, int datatype, int op, int comm, out int request);

    [LibraryImport(Library)]
    public static partial int MPI_Isend(void* buffer, int count, int datatype, int destination, int tag, int comm, out int request);

    [LibraryImport(Library)]
    public static partial int MPI_Irecv(void* buffer, int count, int datatype, int source, int tag, int comm, out int request);

    /// <summary>Passes MPI_STATUS_IGNORE (a null status pointer is not allowed; MPICH uses 1).</summary>
    [LibraryImport(Library)]
    public static partial int MPI_Test(ref int request, out int flag, nint status);

    [LibraryImport(Library)]
    public static partial int MPI_Error_string(int errorCode, byte* text, out int length);

    /// <summary>MPI_STATUS_IGNORE in MPICH.</summary>
    public const nint StatusIgnore = 1;
}
