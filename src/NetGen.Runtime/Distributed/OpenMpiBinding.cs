using System.Runtime.InteropServices;
using static NetGen.Distributed.OpenMpiNative;

namespace NetGen.Distributed;

/// <summary>
/// <see cref="IMpiBinding"/> over <see cref="OpenMpiNative"/>: the predefined handles are the addresses of
/// Open MPI's exported objects, looked up once in the loaded library.
/// </summary>
internal sealed unsafe class OpenMpiBinding : IMpiBinding
{
    private readonly nint _world;
    private readonly nint _float;
    private readonly nint _double;
    private readonly nint _sum;
    private readonly nint _errorsReturn;

    /// <summary>Looks the handles up in <paramref name="library"/>, Open MPI's library as loaded.</summary>
    public OpenMpiBinding(nint library)
    {
        _world = NativeLibrary.GetExport(library, "ompi_mpi_comm_world");
        _float = NativeLibrary.GetExport(library, "ompi_mpi_float");
        _double = NativeLibrary.GetExport(library, "ompi_mpi_double");
        _sum = NativeLibrary.GetExport(library, "ompi_mpi_op_sum");
        _errorsReturn = NativeLibrary.GetExport(library, "ompi_mpi_errors_return");
    }

    public string Name => $"Open MPI ({Library})";

    public int InitThreadFunneled() => MPI_Init_thread(0, 0, 1, out _);

    public int Finalize() => MPI_Finalize();

    public int Abort(int errorCode) => MPI_Abort(_world, errorCode);

    public int Rank(out int rank) => MPI_Comm_rank(_world, out rank);

    public int Size(out int size) => MPI_Comm_size(_world, out size);

    public int SetErrorsReturn() => MPI_Comm_set_errhandler(_world, _errorsReturn);

    public int Ibcast(void* buffer, int count, MpiElement element, out nint request) =>
        MPI_Ibcast(buffer, count, Type(element), 0, _world, out request);

    public int IallreduceSum(void* buffer, int count, MpiElement element, out nint request) =>
        MPI_Iallreduce(InPlace, buffer, count, Type(element), _sum, _world, out request);

    public int Isend(double* buffer, int destination, int tag, out nint request) =>
        MPI_Isend(buffer, 1, _double, destination, tag, _world, out request);

    public int Irecv(double* buffer, int source, int tag, out nint request) =>
        MPI_Irecv(buffer, 1, _double, source, tag, _world, out request);

    public int Test(ref nint request, out int done) => MPI_Test(ref request, out done, StatusIgnore);

    public int ErrorString(int errorCode, byte* text, out int length) => MPI_Error_string(errorCode, text, out length);

    private nint Type(MpiElement element) => element switch
    {
        MpiElement.Float => _float,
        MpiElement.Double => _double,
    };
}
