// Signature stub, checked against intellij-community
// platform/execution/src/com/intellij/execution/configuration/RunConfigurationExtensionBase.java
// (`isApplicableFor(@NotNull T)`, `isEnabledFor(@NotNull T, @Nullable RunnerSettings)`, `patchCommandLine(...)`).
package com.intellij.execution.configuration;

import com.intellij.execution.ExecutionException;
import com.intellij.execution.configurations.GeneralCommandLine;
import com.intellij.execution.configurations.RunConfigurationBase;
import com.intellij.execution.configurations.RunnerSettings;

public abstract class RunConfigurationExtensionBase<T extends RunConfigurationBase<?>> {
  public abstract boolean isApplicableFor(T configuration);
  public abstract boolean isEnabledFor(T applicableConfiguration, RunnerSettings runnerSettings);
  protected abstract void patchCommandLine(T configuration, RunnerSettings runnerSettings, GeneralCommandLine cmdLine, String runnerId) throws ExecutionException;
}
