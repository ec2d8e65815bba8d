package dev.lumen.engine.sae.training;

/**
 * What one optimiser step saw and did (losses in the scaled input space, where E‖x‖² = dIn).
 *
 * @param step 1-based number of the step just taken
 * @param loss mse + λ·sparsity
 * @param mse mean over tokens of ‖x − x̂‖²
 * @param sparsity mean over tokens of Σᵢ fᵢ‖W_dec,i‖
 * @param l0 mean active features per token
 * @param gradNorm global gradient norm before clipping
 * @param learningRate learning rate used
 * @param l1Coefficient λ used
 * @param deadFraction fraction of features silent for the dead-feature window
 */
public record TrainStepOutput(long step, double loss, double mse, double sparsity, double l0, double gradNorm,
		double learningRate, double l1Coefficient, double deadFraction) {
}
