using System.Collections.Generic;
using NetGen.Optimizers;

namespace NetGen.Bench;

/// <summary>The reference's convolutional benchmarks: MNIST CNN (train b64 with Adam, inference b1 and b256) and Chollet's convnet (train and inference b32, RMSprop with Keras defaults); and its row-MNIST LSTM (train b64 with Adam, inference b1 and b256).</summary>
internal static class ConvolutionalSuite
{
    public static IEnumerable<Measurement> Run(int threads, Settings settings, ISet<string> only)
    {
        if (only.Contains("cnn"))
        {
            var cnn = new BenchCnn();
            yield return NetworkSuite.Train("cnn_train_b64", threads, settings, cnn, new Adam(cnn, 1e-3f), 64, 10);
            yield return NetworkSuite.Infer("cnn_infer_b1", threads, settings, cnn, 1);
            yield return NetworkSuite.Infer("cnn_infer_b256", threads, settings, cnn, 256);
        }

        if (only.Contains("chollet"))
        {
            var chollet = new BenchChollet();
            var longer = settings with { Target = settings.Target * 2 };
            yield return NetworkSuite.Train("chollet_train_b32", threads, longer, chollet, new RmsProp(chollet, 1e-4f, alpha: 0.9, epsilon: 1e-7), 32, 2);
            yield return NetworkSuite.Infer("chollet_infer_b32", threads, settings, chollet, 32);
        }

        if (only.Contains("lstm"))
        {
            var lstm = new BenchLstm();
            yield return NetworkSuite.Train("lstm_train_b64", threads, settings, lstm, new Adam(lstm, 1e-3f), 64, 10);
            yield return NetworkSuite.Infer("lstm_infer_b1", threads, settings, lstm, 1);
            yield return NetworkSuite.Infer("lstm_infer_b256", threads, settings, lstm, 256);
        }
    }
}
