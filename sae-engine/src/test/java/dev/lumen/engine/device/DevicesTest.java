package dev.lumen.engine.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import org.junit.jupiter.api.Test;

class DevicesTest {

	@Test
	void cpuAndAutoResolveOnAMachineWithoutGpus() {
		assertThat(Devices.parse("cpu")).isEqualTo(Device.cpu());
		assertThat(Devices.parse("AUTO")).isEqualTo(Devices.gpuCount() > 0 ? Device.gpu(0) : Device.cpu());
	}

	@Test
	void cudaWithoutAGpuAndUnknownNamesAreExplained() {
		if (Devices.gpuCount() == 0) {
			assertThatThrownBy(() -> Devices.parse("cuda")).hasMessageContaining("no CUDA GPU is visible");
		}
		assertThatThrownBy(() -> Devices.parse("tpu")).hasMessageContaining("valid: cpu, cuda, cuda:N, auto");
	}
}
