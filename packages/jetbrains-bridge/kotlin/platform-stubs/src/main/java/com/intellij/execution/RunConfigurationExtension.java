// Signature stub, checked against intellij-community java/execution/impl/src/com/intellij/execution/RunConfigurationExtension.java
// (`updateJavaParameters` with and without Executor; `isEnabledFor` returns true there; `patchCommandLine` is a no-op there).
package com.intellij.execution;

import com.intellij.execution.configuration.RunConfigurationExtensionBase;
import com.intellij.execution.configurations.GeneralCommandLine;
import com.intellij.execution.configurations.JavaParameters;
import com.intellij.execution.configurations.RunConfigurationBase;
import com.intellij.execution.configurations.RunnerSettings;

public abstract class RunConfigurationExtension extends RunConfigurationExtensionBase<RunConfigurationBase<?>> {
  public <T extends RunConfigurationBase> void updateJavaParameters(final T configuration, final JavaParameters params, RunnerSettings runnerSettings, final Executor executor) throws ExecutionException {
    throw new UnsupportedOperationException("stub");
  }
  public abstract <T extends RunConfigurationBase> void updateJavaParameters(final T configuration, final JavaParameters params, RunnerSettings runnerSettings) throws ExecutionException;
  @Override
  protected void patchCommandLine(RunConfigurationBase configuration, RunnerSettings runnerSettings, GeneralCommandLine cmdLine, String runnerId) throws ExecutionException {
    throw new UnsupportedOperationException("stub");
  }
  @Override
  public boolean isEnabledFor(RunConfigurationBase applicableConfiguration, RunnerSettings runnerSettings) {
    throw new UnsupportedOperationException("stub");
  }
}
