// Signature stub (type only: it appears in RunConfigurationExtensionBase.patchCommandLine), checked against
// intellij-community platform/platform-util-io/src/com/intellij/execution/configurations/GeneralCommandLine.java
package com.intellij.execution.configurations;

public class GeneralCommandLine {
  private GeneralCommandLine() {}
}
