namespace NetGen.Generator.Emit;

/// <summary>
/// The per-step kernels of the recurrent layers on the device: what the three cells share (one thread
/// per sample and hidden unit, the time of a step in each direction, where the saved gates, states and
/// the stacked recurrent gradients lie, and the output rows), with each cell's gate maths
/// (<see cref="Layers.LSTMLayer"/>, <see cref="Layers.GRULayer"/>, <see cref="Layers.SimpleRNNLayer"/>) filled
/// in. The layout is the CPU's saved region (<c>NetGen.RecurrentLayer</c>): gates <c>[B, steps, directions,
/// gates·hidden]</c>, then per direction the states <c>[steps, B, hidden]</c> (and the second state), the
/// step's recurrent product <c>[B, gates·hidden]</c> and the carried <c>dh</c> (and <c>dc</c>) <c>[B, hidden]</c>.
/// Backward writes each step's recurrent-side gate gradients to a stack <c>[steps, B, gates·hidden]</c>, so that
/// <c>dW_hh</c> and <c>db_hh</c> are one product and one column sum over every step.
/// </summary>
internal static class GpuRecurrentKernels
{
    /// <summary>σ(<paramref name="x"/>) in the kernel dialect.</summary>
    public static string Sigmoid(string x) => $"(1.0f / (1.0f + EXP(-({x}))))";

    /// <summary>
    /// The forward step kernel <c>{name}_forward_step</c>. <paramref name="body"/> reads <c>gate[k * hidden]</c>
    /// (the input projection of gate k), <c>biasIh</c>, <c>biasHh</c>, <c>recurrent[k * hidden]</c> (absent when
    /// <c>first</c>), <c>hPrevious</c> (and <c>cPrevious</c> with a second state, both zero when <c>first</c>), writes
    /// what backward reads over <c>gate[k * hidden]</c>, sets <c>h</c> and, with a second state, <c>c</c>.
    /// </summary>
    public static string Forward(string name, int gates, bool secondState, string body) => $$"""
        // {{name}} forward at step s of one direction, one thread per (sample b, unit j): the projection x_t · W_ihᵀ saved
        // by one product over every step, + b_ih + h_{s−1} · W_hhᵀ (the step's recurrent product, none at s = 0) + b_hh,
        // then the cell. The reverse direction reads time t = steps − 1 − s. The output is every h_t or the last one.
        KERNEL void {{name}}_forward_step(GLOBAL float* saved, int gatesOffset, int statesOffset, int secondOffset, int recurrentOffset, GLOBAL const float* parameters, int biasIhOffset, int biasHhOffset, GLOBAL float* y, int yOffset, int batch, int steps, int hidden, int directions, int direction, int s, int sequences)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * hidden) return;
            int b = i / hidden, j = i % hidden;
            int t = direction == 1 ? steps - 1 - s : s;
            int first = s == 0;
            int state = (s * batch + b) * hidden + j, previous = state - batch * hidden;
            GLOBAL float* gate = saved + gatesOffset + ((b * steps + t) * directions + direction) * {{gates}} * hidden + j;
            GLOBAL const float* recurrent = saved + recurrentOffset + b * {{gates}} * hidden + j;
            GLOBAL const float* biasIh = parameters + biasIhOffset + j;
            GLOBAL const float* biasHh = parameters + biasHhOffset + j;
            float hPrevious = first ? 0.0f : saved[statesOffset + previous];{{Optional(secondState, "float cPrevious = first ? 0.0f : saved[secondOffset + previous];", "(void)secondOffset;")}}
            float h{{(secondState ? ", c" : string.Empty)}};
        {{Indent(body)}}
            saved[statesOffset + state] = h;{{Optional(secondState, "saved[secondOffset + state] = c;")}}
            int width = directions * hidden;
            if (sequences) y[yOffset + (b * steps + t) * width + direction * hidden + j] = h;
            else if (s == steps - 1) y[yOffset + b * width + direction * hidden + j] = h;
        }
        """;

    /// <summary>
    /// The backward step kernel <c>{name}_backward_step</c>. <paramref name="body"/> reads <c>dh</c> (the whole
    /// gradient of h_t), <c>gate[k * hidden]</c> (what forward saved), <c>h</c>, <c>hPrevious</c> (and <c>c</c>,
    /// <c>cPrevious</c>, and the carried <c>dc</c> when the cell carries one), writes the input-side gate gradients over
    /// <c>gate[k * hidden]</c> and the recurrent-side ones to <c>recurrent[k * hidden]</c>, and sets <c>carried</c>
    /// (the part of dh_{t−1} that bypasses W_hh) and, carrying a second gradient, the new <c>dc</c>.
    /// </summary>
    public static string Backward(string name, int gates, bool secondState, bool carriesSecond, string body) => $$"""
        // {{name}} backward at step s of one direction (s from steps − 1 down), one thread per (sample b, unit j):
        // dh = the carried gradient + the output's, then the cell's gate gradients: the input side over the saved gates,
        // the recurrent side into the stack [steps, batch, gates · hidden] (dW_hh, db_hh and dh_{s−1} read it).
        KERNEL void {{name}}_backward_step(GLOBAL float* saved, int gatesOffset, int statesOffset, int secondOffset, int carriedOffset, int carriedSecondOffset, GLOBAL float* stack, int stackOffset, GLOBAL const float* dy, int dyOffset, int batch, int steps, int hidden, int directions, int direction, int s, int sequences)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * hidden) return;
            int b = i / hidden, j = i % hidden;
            int t = direction == 1 ? steps - 1 - s : s;
            int last = s == steps - 1;
            int state = (s * batch + b) * hidden + j, previous = state - batch * hidden;
            int width = directions * hidden;
            float dh = (last ? 0.0f : saved[carriedOffset + i]) + (sequences ? dy[dyOffset + (b * steps + t) * width + direction * hidden + j] : last ? dy[dyOffset + b * width + direction * hidden + j] : 0.0f);
            GLOBAL float* gate = saved + gatesOffset + ((b * steps + t) * directions + direction) * {{gates}} * hidden + j;
            GLOBAL float* recurrent = stack + stackOffset + (s * batch + b) * {{gates}} * hidden + j;
            float h = saved[statesOffset + state];
            float hPrevious = s == 0 ? 0.0f : saved[statesOffset + previous];{{Optional(secondState, "float c = saved[secondOffset + state], cPrevious = s == 0 ? 0.0f : saved[secondOffset + previous];", "(void)secondOffset;")}}{{Optional(carriesSecond, "float dc = last ? 0.0f : saved[carriedSecondOffset + i];", "(void)carriedSecondOffset;")}}
            float carried;
        {{Indent(body)}}
            saved[carriedOffset + i] = carried;{{Optional(carriesSecond, "saved[carriedSecondOffset + i] = dc;")}}
        }
        """;

    // A line of its own after the one before (an empty string when absent, so no blank line is left).
    private static string Optional(bool present, string line, string otherwise = "") =>
        present ? "\n    " + line : otherwise.Length > 0 ? "\n    " + otherwise : string.Empty;

    private static string Indent(string body) => "    " + body.Trim().Replace("\n", "\n    ");
}
