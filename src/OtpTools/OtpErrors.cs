using System;
using System.Management.Automation;
using OtpTools.Engine;
using OtpTools.Engine.Http;

namespace OtpTools
{
    /// <summary>Engine errors as ErrorRecords: one place for category mapping and redaction.</summary>
    internal static class OtpErrors
    {
        public static ErrorRecord ToRecord(OtpException error, object? input, OutwardText? outward = null)
        {
            outward ??= new OutwardText();
            var category = Enum.TryParse<ErrorCategory>(error.Category.ToString(), out var parsed) ? parsed : ErrorCategory.NotSpecified;
            var message = outward.Show(error.Message);
            var record = new ErrorRecord(new OtpToolsException(message, error, outward), error.ErrorId, category, error.TargetValue ?? input)
            {
                ErrorDetails = new ErrorDetails(message),
            };
            if (error.RecommendedAction != null) record.ErrorDetails.RecommendedAction = error.RecommendedAction;
            if (error.TargetValue != null || error.ParameterName != null)
                record.CategoryInfo.TargetName = error.ParameterName ?? record.CategoryInfo.TargetName;
            return record;
        }
    }
}
