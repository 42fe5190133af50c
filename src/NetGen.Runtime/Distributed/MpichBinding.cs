using static NetGen.Distributed.MpichNative;

namespace NetGen.Distributed;

/// <summary><see cref="IMpiBinding"/> over <see cref="MpichNative"/>: requests are MPICH's 32-bit handles.</summary>
internal sealed unsafe class MpichBinding : IMpiBinding
{
    public string Name => $"MPICH ({Library})";

    public int InitThreadFunneled() => MPI_Init_thread(0, 0, ThreadFunneled, out _);

    public int Finalize() => MPI_Finalize();

    public int Abort(int errorCode) => MPI_Abort(CommWorld, errorCode);

    public int Rank(out int rank) => MPI_Comm_rank(CommWorld, out rank);

    public int Size(out int size) => MPI_Comm_size(CommWorld, out size);

    public int SetErrorsReturn() => MPI_Comm_set_errhandler(CommWorld, ErrorsReturn);

    public int Ibcast(void* buffer, int count, MpiElement element, out nint request)
    {
        var code = MPI_Ibcast(buffer, count, Type(element), 0, CommWorld, out var handle);
        request = handle;
        return code;
    }

    public int IallreduceSum(void* buffer, int count, MpiElement element, out nint request)
    {
        var code = MPI_Iallreduce(InPlace, buffer, count, Type(element), Sum, CommWorld, out var handle);
        request = handle;
        return code;
    }

    public int Isend(double* buffer, int destination, int tag, out nint request)
    {
        var code = MPI_Isend(buffer, 1, DoubleType, destination, tag, CommWorld, out var handle);
        request = handle;
        return code;
    }

    public int Irecv(double* buffer, int source, int tag, out nint request)
    {
        var code = MPI_Irecv(buffer, 1, DoubleType, source, tag, CommWorld, out var handle);
        request = handle;
        return code;
    }

    public int Test(ref nint request, out int done)
    {
        var handle = (int)request;
        var code = MPI_Test(ref handle, out done, StatusIgnore);
        request = handle;
        return code;
    }

    public int ErrorString(int errorCode, byte* text, out int length) => MPI_Error_string(errorCode, text, out length);

    private static int Type(MpiElement element) => element switch
    {
        MpiElement.Float => FloatType,
        MpiElement.Double => DoubleType,
    };
}
