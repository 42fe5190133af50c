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
/// <c>dW_hh</c> and <c>db_hh</c> are one product and one column sum over every step. With per-sample lengths
/// (<c>MaskPadding</c>: the saved region's last float per sample, <see cref="Lengths"/>), the steps at or past a
/// sample's length carry its state on unchanged with a zero output, and backward gives them zero gate gradients
/// and carries <c>dh</c> (and <c>dc</c>) through, as the CPU's loop does; without, <c>lengthsOffset</c> is −1 and
/// every step is real.
/// </summary>
internal static class GpuRecurrentKernels
{
    /// <summary>
    /// Each sample's length from its token ids, one thread per sample: one past its last id other than the padding
    /// id (<c>NetGen.RecurrentLayer.LengthsFromPadding</c>). The host refused samples of padding only before staging
    /// the batch (<c>NetGen.RecurrentLayer.CheckPadding</c>); the floor of 1 only keeps the step kernels in bounds
    /// whatever the buffer holds.
    /// </summary>
    public const string Lengths = """
        // lengths[b] = one past the last of sample b's token ids that is not the padding id (at least 1).
        KERNEL void lengths_from_padding(GLOBAL const float* tokens, int tokensOffset, GLOBAL float* lengths, int lengthsOffset, int batch, int steps, float padding)
        {
            int b = GLOBAL_ID(0);
            if (b >= batch) return;
            int last = steps - 1;
            while (last > 0 && tokens[tokensOffset + b * steps + last] == padding) last--;
            lengths[lengthsOffset + b] = (float)(last + 1);
        }
        """;

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
        // then the cell. The reverse direction reads time t = length − 1 − s. The output is every h_t or the last one;
        // a step past the sample's length (saved at lengthsOffset, −1 for none) keeps the state, and outputs zero.
        KERNEL void {{name}}_forward_step(GLOBAL float* saved, int gatesOffset, int statesOffset, int secondOffset, int recurrentOffset, int lengthsOffset, GLOBAL const float* parameters, int biasIhOffset, int biasHhOffset, GLOBAL float* y, int yOffset, int batch, int steps, int hidden, int directions, int direction, int s, int sequences)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * hidden) return;
            int b = i / hidden, j = i % hidden;
            int length = lengthsOffset < 0 ? steps : (int)saved[lengthsOffset + b];
            int real = s < length;
            int t = direction == 1 && real ? length - 1 - s : s;
            int first = s == 0;
            int state = (s * batch + b) * hidden + j, previous = state - batch * hidden;
            GLOBAL float* gate = saved + gatesOffset + ((b * steps + t) * directions + direction) * {{gates}} * hidden + j;
            GLOBAL const float* recurrent = saved + recurrentOffset + b * {{gates}} * hidden + j;
            GLOBAL const float* biasIh = parameters + biasIhOffset + j;
            GLOBAL const float* biasHh = parameters + biasHhOffset + j;
            float hPrevious = first ? 0.0f : saved[statesOffset + previous];{{Optional(secondState, "float cPrevious = first ? 0.0f : saved[secondOffset + previous];", "(void)secondOffset;")}}
            float h{{(secondState ? ", c" : string.Empty)}};
            if (real)
            {
        {{Indent(body, 2)}}
            }
            else
            {
                h = hPrevious;{{Optional(secondState, "c = cPrevious;", indent: 2)}}
            }
            saved[statesOffset + state] = h;{{Optional(secondState, "saved[secondOffset + state] = c;")}}
            int width = directions * hidden;
            if (sequences) y[yOffset + (b * steps + t) * width + direction * hidden + j] = real ? h : 0.0f;
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
        // the recurrent side into the stack [steps, batch, gates · hidden] (dW_hh, db_hh and dh_{s−1} read it). A step past
        // the sample's length gets zero gate gradients on both sides and passes dh (and dc) on unchanged.
        KERNEL void {{name}}_backward_step(GLOBAL float* saved, int gatesOffset, int statesOffset, int secondOffset, int carriedOffset, int carriedSecondOffset, int lengthsOffset, GLOBAL float* stack, int stackOffset, GLOBAL const float* dy, int dyOffset, int batch, int steps, int hidden, int directions, int direction, int s, int sequences)
        {
            int i = GLOBAL_ID(0);
            if (i >= batch * hidden) return;
            int b = i / hidden, j = i % hidden;
            int length = lengthsOffset < 0 ? steps : (int)saved[lengthsOffset + b];
            int real = s < length;
            int t = direction == 1 && real ? length - 1 - s : s;
            int last = s == steps - 1;
            int state = (s * batch + b) * hidden + j, previous = state - batch * hidden;
            int width = directions * hidden;
            float dh = (last ? 0.0f : saved[carriedOffset + i]) + (sequences ? (real ? dy[dyOffset + (b * steps + t) * width + direction * hidden + j] : 0.0f) : last ? dy[dyOffset + b * width + direction * hidden + j] : 0.0f);
            GLOBAL float* gate = saved + gatesOffset + ((b * steps + t) * directions + direction) * {{gates}} * hidden + j;
            GLOBAL float* recurrent = stack + stackOffset + (s * batch + b) * {{gates}} * hidden + j;
            float h = saved[statesOffset + state];
            float hPrevious = s == 0 ? 0.0f : saved[statesOffset + previous];{{Optional(secondState, "float c = saved[secondOffset + state], cPrevious = s == 0 ? 0.0f : saved[secondOffset + previous];", "(void)secondOffset;")}}{{Optional(carriesSecond, "float dc = last ? 0.0f : saved[carriedSecondOffset + i];", "(void)carriedSecondOffset;")}}
            float carried;
            if (real)
            {
        {{Indent(body, 2)}}
            }
            else
            {
                for (int k = 0; k < {{gates}}; k++)
                {
                    gate[k * hidden] = 0.0f;
                    recurrent[k * hidden] = 0.0f;
                }
                carried = dh;
            }
            saved[carriedOffset + i] = carried;{{Optional(carriesSecond, "saved[carriedSecondOffset + i] = dc;")}}
        }
        """;

    // A line of its own after the one before (an empty string when absent, so no blank line is left).
    private static string Optional(bool present, string line, string otherwise = "", int indent = 1) =>
        present ? "\n" + Spaces(indent) + line : otherwise.Length > 0 ? "\n" + Spaces(indent) + otherwise : string.Empty;

    private static string Indent(string body, int levels) => Spaces(levels) + body.Trim().Replace("\n", "\n" + Spaces(levels));

    private static string Spaces(int levels) => new(' ', 4 * levels);
}
