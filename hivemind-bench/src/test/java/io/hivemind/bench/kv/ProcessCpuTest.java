package io.hivemind.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {

  @Test
  void ticks_commandNameWithSpacesAndParentheses_userPlusSystem() {
    String stat =
        "4242 (etcd (x) y) S 1 4242 4242 0 -1 4194304 1200 0 0 0 731 269 0 0 20 0 12 0 777 0 0";

    assertThat(ProcessCpu.ticks(stat)).isEqualTo(731 + 269);
  }

  @Test
  void ticks_notAStatLine_refusedWithTheLine() {
    assertThatThrownBy(() -> ProcessCpu.ticks("4242 etcd S 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4242 etcd S 1");
    assertThatThrownBy(() -> ProcessCpu.ticks("4242 (etcd) S 1 2"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nanos_thisProcess_readsItsOwnStat() throws Exception {
    long self = ProcessHandle.current().pid();

    // Reads a file, opens no socket: this JVM has used some CPU time by now.
    assertThat(new ProcessCpu(List.of(self)).nanos()).isPositive();
  }

  @Test
  void cpuUse_perWriteAndPercentOfOneCore() {
    CpuUse use = new CpuUse(1_500_000_000L, 500_000_000L, 1_000_000_000L);

    assertThat(use.serverPercent()).isEqualTo(150.0);
    assertThat(use.clientPercent()).isEqualTo(50.0);
    assertThat(use.serverMicrosPerWrite(3000)).isEqualTo(500.0);
    assertThat(use.serverMicrosPerWrite(0)).isZero();
  }

  @Test
  void reportRow_withAndWithoutCpu() {
    KvLoadResult result =
        new KvLoadResult(
            "etcd",
            16,
            1_000_000_000L,
            new LatencySummary(1000, 2_000_000, 9_000_000, 12_000_000, 15_000_000),
            java.util.Map.of());

    assertThat(KvLoadReport.row(result, new CpuUse(500_000_000L, 250_000_000L, 1_000_000_000L)))
        .matches(
            "etcd +16 +1000\\.0 +2\\.00 +9\\.00 +12\\.00 +15\\.00 +0 +50\\.0 +500\\.0 +25\\.0");
    assertThat(KvLoadReport.row(result, null)).endsWith("0        -         -        -");
  }
}
