namespace NetGen.Distributed;

/// <summary>The element types the collectives carry.</summary>
internal enum MpiElement
{
    Float,
    Double,
}

/// <summary>
/// The MPI calls <see cref="MpiCommunicator"/> makes, on MPI_COMM_WORLD, over one MPI library's ABI: MPICH's
/// (<see cref="MpichBinding"/>, integer handles) or Open MPI's (<see cref="OpenMpiBinding"/>, handles that are
/// addresses of exported symbols). Requests are widened to <c>nint</c>, which holds either. Each call returns
/// MPI's error code (0 for success).
/// </summary>
internal unsafe interface IMpiBinding
{
    /// <summary>The implementation and library, for messages: <c>MPICH (libmpich.so.12)</c>.</summary>
    string Name { get; }

    int InitThreadFunneled();

    int Finalize();

    int Abort(int errorCode);

    int Rank(out int rank);

    int Size(out int size);

    int SetErrorsReturn();

    int Ibcast(void* buffer, int count, MpiElement element, out nint request);

    /// <summary>MPI_Iallreduce in place (MPI_IN_PLACE) with MPI_SUM.</summary>
    int IallreduceSum(void* buffer, int count, MpiElement element, out nint request);

    int Isend(double* buffer, int destination, int tag, out nint request);

    int Irecv(double* buffer, int source, int tag, out nint request);

    /// <summary>MPI_Test with MPI_STATUS_IGNORE.</summary>
    int Test(ref nint request, out int done);

    int ErrorString(int errorCode, byte* text, out int length);
}
