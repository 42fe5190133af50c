using System;

var model = new NetGen.Samples.Mnist.MnistMlp();
Console.WriteLine(model.Summary());
