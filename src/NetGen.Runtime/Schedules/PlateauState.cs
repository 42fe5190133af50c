namespace NetGen.Schedules;

/// <summary>
/// Everything <see cref="ReduceLROnPlateau"/> remembers between epochs, for checkpoints: restoring it
/// with <see cref="ReduceLROnPlateau.Restore"/> resumes the schedule exactly.
/// </summary>
/// <param name="Epoch">Metrics seen so far (PyTorch's <c>last_epoch</c>).</param>
/// <param name="LearningRate">The current learning rate.</param>
/// <param name="Best">The best metric so far (±infinity before the first).</param>
/// <param name="BadEpochs">Consecutive epochs without improvement.</param>
/// <param name="CooldownCounter">Epochs of cooldown left.</param>
public readonly record struct PlateauState(int Epoch, double LearningRate, double Best, int BadEpochs, int CooldownCounter);
