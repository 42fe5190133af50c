// ResNet18.cs as `netgen import` wrote it from ResNet18.onnx, made the user's: every layer with parameters
// marked [Frozen], and a new head after the global average pool. The backbone's weights load from
// ResNet18.safetensors under the same layer names (Checkpoint.LoadPartial).
using NetGen;

namespace NetGen.Samples.DogsVsCatsTransfer;

/// <summary>
/// ImageNet ResNet-18, frozen, under a new head for cats and dogs: Chollet's densely connected classifier
/// for feature extraction on the 512 pooled features (a hidden layer with dropout, then the two class
/// scores). The frozen prefix ends at the pool, which the head alone reads, so
/// <c>TrainerOptions.CacheFrozenFeatures</c> can run the backbone once per photo.
/// </summary>
[Network(Loss = Loss.SoftmaxCrossEntropy, Seed = 7)]
[Input(3, 224, 224)]
public partial class CatsVsDogsResNet
{
    // Convolution249 (Conv): weight = Parameter91 [64, 3, 7, 7]
    [Frozen, Conv2D(64, 7, Stride = 2, Pads = [3, 3, 2, 2], Bias = false)] public partial Conv2D Convolution249 { get; }

    // BatchNormalization251 (BatchNormalization) + ReLU253 (Relu): weight = Parameter96 [64], bias = Parameter97 [64], running_mean = Constant98 [64], running_var = Constant99 [64]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization251 { get; }

    // Pooling255 (MaxPool)
    [MaxPool2D(3, Stride = 2, Pads = [1, 1, 0, 0])] public partial MaxPool2D Pooling255 { get; }

    // Convolution257 (Conv): weight = Parameter86 [64, 64, 3, 3]
    [Frozen, Conv2D(64, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution257 { get; }

    // BatchNormalization259 (BatchNormalization) + ReLU261 (Relu): weight = Parameter113 [64], bias = Parameter114 [64], running_mean = Constant115 [64], running_var = Constant116 [64]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization259 { get; }

    // Convolution263 (Conv): weight = Parameter82 [64, 64, 3, 3]
    [Frozen, Conv2D(64, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution263 { get; }

    // BatchNormalization265 (BatchNormalization): weight = Parameter127 [64], bias = Parameter128 [64], running_mean = Constant129 [64], running_var = Constant130 [64]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization265 { get; }

    // Plus267 (Add) + ReLU269 (Relu)
    [Add(nameof(BatchNormalization265), nameof(Pooling255), Activation.ReLU)] public partial Add Plus267 { get; }

    // Convolution271 (Conv): weight = Parameter77 [64, 64, 3, 3]
    [Frozen, Conv2D(64, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution271 { get; }

    // BatchNormalization273 (BatchNormalization) + ReLU275 (Relu): weight = Parameter144 [64], bias = Parameter145 [64], running_mean = Constant146 [64], running_var = Constant147 [64]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization273 { get; }

    // Convolution277 (Conv): weight = Parameter73 [64, 64, 3, 3]
    [Frozen, Conv2D(64, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution277 { get; }

    // BatchNormalization279 (BatchNormalization): weight = Parameter158 [64], bias = Parameter159 [64], running_mean = Constant160 [64], running_var = Constant161 [64]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization279 { get; }

    // Plus281 (Add) + ReLU283 (Relu)
    [Add(nameof(BatchNormalization279), nameof(Plus267), Activation.ReLU)] public partial Add Plus281 { get; }

    // Convolution295 (Conv): weight = Parameter199 [128, 64, 1, 1]
    [Frozen, Conv2D(128, 1, Stride = 2, Bias = false)] public partial Conv2D Convolution295 { get; }

    // BatchNormalization297 (BatchNormalization): weight = Parameter203 [128], bias = Parameter204 [128], running_mean = Constant205 [128], running_var = Constant206 [128]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization297 { get; }

    // Convolution285 (Conv): weight = Parameter68 [128, 64, 3, 3]
    [Frozen, Conv2D(128, 3, Stride = 2, Pads = [1, 1, 0, 0], Bias = false, Input = nameof(Plus281))] public partial Conv2D Convolution285 { get; }

    // BatchNormalization287 (BatchNormalization) + ReLU289 (Relu): weight = Parameter175 [128], bias = Parameter176 [128], running_mean = Constant177 [128], running_var = Constant178 [128]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization287 { get; }

    // Convolution291 (Conv): weight = Parameter64 [128, 128, 3, 3]
    [Frozen, Conv2D(128, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution291 { get; }

    // BatchNormalization293 (BatchNormalization): weight = Parameter189 [128], bias = Parameter190 [128], running_mean = Constant191 [128], running_var = Constant192 [128]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization293 { get; }

    // Plus299 (Add) + ReLU301 (Relu)
    [Add(nameof(BatchNormalization293), nameof(BatchNormalization297), Activation.ReLU)] public partial Add Plus299 { get; }

    // Convolution303 (Conv): weight = Parameter59 [128, 128, 3, 3]
    [Frozen, Conv2D(128, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution303 { get; }

    // BatchNormalization305 (BatchNormalization) + ReLU307 (Relu): weight = Parameter220 [128], bias = Parameter221 [128], running_mean = Constant222 [128], running_var = Constant223 [128]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization305 { get; }

    // Convolution309 (Conv): weight = Parameter55 [128, 128, 3, 3]
    [Frozen, Conv2D(128, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution309 { get; }

    // BatchNormalization311 (BatchNormalization): weight = Parameter234 [128], bias = Parameter235 [128], running_mean = Constant236 [128], running_var = Constant237 [128]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization311 { get; }

    // Plus313 (Add) + ReLU315 (Relu)
    [Add(nameof(BatchNormalization311), nameof(Plus299), Activation.ReLU)] public partial Add Plus313 { get; }

    // Convolution327 (Conv): weight = Parameter275 [256, 128, 1, 1]
    [Frozen, Conv2D(256, 1, Stride = 2, Bias = false)] public partial Conv2D Convolution327 { get; }

    // BatchNormalization329 (BatchNormalization): weight = Parameter279 [256], bias = Parameter280 [256], running_mean = Constant281 [256], running_var = Constant282 [256]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization329 { get; }

    // Convolution317 (Conv): weight = Parameter50 [256, 128, 3, 3]
    [Frozen, Conv2D(256, 3, Stride = 2, Pads = [1, 1, 0, 0], Bias = false, Input = nameof(Plus313))] public partial Conv2D Convolution317 { get; }

    // BatchNormalization319 (BatchNormalization) + ReLU321 (Relu): weight = Parameter251 [256], bias = Parameter252 [256], running_mean = Constant253 [256], running_var = Constant254 [256]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization319 { get; }

    // Convolution323 (Conv): weight = Parameter46 [256, 256, 3, 3]
    [Frozen, Conv2D(256, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution323 { get; }

    // BatchNormalization325 (BatchNormalization): weight = Parameter265 [256], bias = Parameter266 [256], running_mean = Constant267 [256], running_var = Constant268 [256]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization325 { get; }

    // Plus331 (Add) + ReLU333 (Relu)
    [Add(nameof(BatchNormalization325), nameof(BatchNormalization329), Activation.ReLU)] public partial Add Plus331 { get; }

    // Convolution335 (Conv): weight = Parameter41 [256, 256, 3, 3]
    [Frozen, Conv2D(256, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution335 { get; }

    // BatchNormalization337 (BatchNormalization) + ReLU339 (Relu): weight = Parameter296 [256], bias = Parameter297 [256], running_mean = Constant298 [256], running_var = Constant299 [256]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization337 { get; }

    // Convolution341 (Conv): weight = Parameter37 [256, 256, 3, 3]
    [Frozen, Conv2D(256, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution341 { get; }

    // BatchNormalization343 (BatchNormalization): weight = Parameter310 [256], bias = Parameter311 [256], running_mean = Constant312 [256], running_var = Constant313 [256]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization343 { get; }

    // Plus345 (Add) + ReLU347 (Relu)
    [Add(nameof(BatchNormalization343), nameof(Plus331), Activation.ReLU)] public partial Add Plus345 { get; }

    // Convolution359 (Conv): weight = Parameter351 [512, 256, 1, 1]
    [Frozen, Conv2D(512, 1, Stride = 2, Bias = false)] public partial Conv2D Convolution359 { get; }

    // BatchNormalization361 (BatchNormalization): weight = Parameter355 [512], bias = Parameter356 [512], running_mean = Constant357 [512], running_var = Constant358 [512]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization361 { get; }

    // Convolution349 (Conv): weight = Parameter32 [512, 256, 3, 3]
    [Frozen, Conv2D(512, 3, Stride = 2, Pads = [1, 1, 0, 0], Bias = false, Input = nameof(Plus345))] public partial Conv2D Convolution349 { get; }

    // BatchNormalization351 (BatchNormalization) + ReLU353 (Relu): weight = Parameter327 [512], bias = Parameter328 [512], running_mean = Constant329 [512], running_var = Constant330 [512]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization351 { get; }

    // Convolution355 (Conv): weight = Parameter28 [512, 512, 3, 3]
    [Frozen, Conv2D(512, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution355 { get; }

    // BatchNormalization357 (BatchNormalization): weight = Parameter341 [512], bias = Parameter342 [512], running_mean = Constant343 [512], running_var = Constant344 [512]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization357 { get; }

    // Plus363 (Add) + ReLU365 (Relu)
    [Add(nameof(BatchNormalization357), nameof(BatchNormalization361), Activation.ReLU)] public partial Add Plus363 { get; }

    // Convolution367 (Conv): weight = Parameter23 [512, 512, 3, 3]
    [Frozen, Conv2D(512, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution367 { get; }

    // BatchNormalization369 (BatchNormalization) + ReLU371 (Relu): weight = Parameter372 [512], bias = Parameter373 [512], running_mean = Constant374 [512], running_var = Constant375 [512]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization369 { get; }

    // Convolution373 (Conv): weight = Parameter19 [512, 512, 3, 3]
    [Frozen, Conv2D(512, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution373 { get; }

    // BatchNormalization375 (BatchNormalization): weight = Parameter386 [512], bias = Parameter387 [512], running_mean = Constant388 [512], running_var = Constant389 [512]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization375 { get; }

    // Plus377 (Add) + ReLU379 (Relu)
    [Add(nameof(BatchNormalization375), nameof(Plus363), Activation.ReLU)] public partial Add Plus377 { get; }

    // Convolution381 (Conv): weight = Parameter14 [512, 512, 3, 3]
    [Frozen, Conv2D(512, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution381 { get; }

    // BatchNormalization383 (BatchNormalization) + ReLU385 (Relu): weight = Parameter403 [512], bias = Parameter404 [512], running_mean = Constant405 [512], running_var = Constant406 [512]
    [Frozen, BatchNorm(Activation.ReLU, Momentum = 0.0116503)] public partial BatchNorm BatchNormalization383 { get; }

    // Convolution387 (Conv): weight = Parameter10 [512, 512, 3, 3]
    [Frozen, Conv2D(512, 3, PaddingSize = 1, Bias = false)] public partial Conv2D Convolution387 { get; }

    // BatchNormalization389 (BatchNormalization): weight = Parameter417 [512], bias = Parameter418 [512], running_mean = Constant419 [512], running_var = Constant420 [512]
    [Frozen, BatchNorm(Momentum = 0.0116503)] public partial BatchNorm BatchNormalization389 { get; }

    // Plus391 (Add) + ReLU393 (Relu)
    [Add(nameof(BatchNormalization389), nameof(Plus377), Activation.ReLU)] public partial Add Plus391 { get; }

    // Pooling395 (AveragePool)
    [AvgPool2D(7, Stride = 1)] public partial AvgPool2D Pooling395 { get; }

    // The new head.
    [Flatten] public partial Flatten Features { get; }
    [Dense(256, Activation.ReLU)] public partial Dense Hidden { get; }
    [Dropout(0.5)] public partial Dropout HiddenDropout { get; }
    [Dense(2)] public partial Dense Classifier { get; }
}
